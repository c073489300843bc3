// @ng-annotate/vite-plugin on a real Vite 8 dev server (tests/fixtures/vite8,
// made by create-vite); the cases are in lib/vite-plugin-suite.js.
import { pluginSuite } from './lib/vite-plugin-suite.js';

pluginSuite('vite8');
