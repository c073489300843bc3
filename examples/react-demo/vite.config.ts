import react from '@vitejs/plugin-react'
import ngAnnotate from '@ng-annotate/vite-plugin'
import { defineConfig } from 'vite'

// https://vite.dev/config/
export default defineConfig({
  plugins: [react(), ngAnnotate()],
})
