// @ts-check
import { defineConfig } from 'astro/config';
import ngAnnotate from '@ng-annotate/vite-plugin/astro';

import react from '@astrojs/react';

// https://astro.build/config
export default defineConfig({
  integrations: [react(), ngAnnotate()]
});
