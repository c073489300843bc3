import react from '@vitejs/plugin-react'
import ngAnnotate from '@ng-annotate/vite-plugin'
import { defineConfig } from 'vite'

// https://vite.dev/config/
export default defineConfig({
  plugins: [
    react(),
    // `preview`: the overlay on a deployed build, only when built with
    // NG_ANNOTATE_PREVIEW=1 (a plain `vite build` is untouched).
    ngAnnotate({
      preview: { server: process.env.NG_ANNOTATE_SERVER ?? 'http://127.0.0.1:4750', project: 'react-demo' },
    }),
  ],
})
