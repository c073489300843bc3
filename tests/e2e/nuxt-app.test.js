// examples/nuxt-demo (Nuxt 4.6, the v4 starter's layout) through its one
// line, `modules: ['@ng-annotate/vite-plugin/nuxt']`, on `nuxt dev`, in
// headless Chromium; the truth is tests/e2e/apps/nuxt-demo.js.
import { devAppSuite } from './lib/dev-app-suite.js';
import { row } from './apps/nuxt-demo.js';

devAppSuite(row);
