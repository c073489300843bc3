// @ng-annotate/vite-plugin on a real Vite 5 dev server (tests/fixtures/vite5,
// made by create-vite); the cases are in lib/vite-plugin-suite.js.
import { pluginSuite } from './lib/vite-plugin-suite.js';

pluginSuite('vite5');
