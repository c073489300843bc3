// `npx vite examples/vite-app` (from the repository root, after `make build`):
// the plugin starts build/release/ng-annotate, or the binary in NG_ANNOTATE_BIN.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import ngAnnotate from '../../packages/vite-plugin/index.js';

const repoBinary = fileURLToPath(new URL('../../build/release/ng-annotate', import.meta.url));

export default defineConfig({
  plugins: [ngAnnotate({ binary: process.env.NG_ANNOTATE_BIN ? undefined : repoBinary })],
});
