// Types for `import ngAnnotate from '@ng-annotate/vite-plugin/astro'` in astro.config.
import type { NgAnnotateOptions } from './index.js';

export interface NgAnnotateAstroIntegration {
  name: '@ng-annotate/astro';
  hooks: Record<string, (...args: any[]) => void>;
}

export default function ngAnnotate(options?: NgAnnotateOptions): NgAnnotateAstroIntegration;
export { ngAnnotate };
