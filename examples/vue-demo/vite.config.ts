import vue from '@vitejs/plugin-vue'
import ngAnnotate from '@ng-annotate/vite-plugin'
import { defineConfig } from 'vite'

// https://vite.dev/config/
export default defineConfig({
  plugins: [vue(), ngAnnotate()],
})
