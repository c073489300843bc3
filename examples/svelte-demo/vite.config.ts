import { svelte } from '@sveltejs/vite-plugin-svelte'
import ngAnnotate from '@ng-annotate/vite-plugin'
import { defineConfig } from 'vite'

// https://vite.dev/config/
export default defineConfig({
  plugins: [svelte(), ngAnnotate()],
})
