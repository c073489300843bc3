// A framework-free test page. Framework adapters are tested on the real apps
// of examples/ (tests/e2e/<framework>-app.test.js): a page imitating a
// framework proves nothing about it.
import { overlayTag } from './browser.js';

// Counts what the app itself sees, so tests can tell whether the overlay stole it.
const APP_PROBES = `
  window.appClicks = 0; window.appKeys = [];
  document.addEventListener('click', () => { window.appClicks++; });
  window.addEventListener('keydown', (e) => { window.appKeys.push({ code: e.code, alt: e.altKey, prevented: e.defaultPrevented }); });
`;

export const plainPage = ({ port }) => `<!doctype html><html><head><meta charset="utf-8"><title>plain</title></head><body>
<input id="app-field" placeholder="search">
<main><section><p>first</p><p class="target">second paragraph</p></section></main>
<script>${APP_PROBES}</script>
${overlayTag(port)}
</body></html>`;
