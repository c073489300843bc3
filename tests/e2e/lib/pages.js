// Test pages: a fake Angular app (dev-mode `window.ng` globals), a React-like
// page (a `__reactFiber$` property with debug info) and a plain page.
import { overlayTag } from './browser.js';

// Counts what the app itself sees, so tests can tell whether the overlay stole it.
const APP_PROBES = `
  window.appClicks = 0; window.appKeys = [];
  document.addEventListener('click', () => { window.appClicks++; });
  window.addEventListener('keydown', (e) => { window.appKeys.push({ code: e.code, alt: e.altKey, prevented: e.defaultPrevented }); });
`;

export const angularPage = ({ port }) => `<!doctype html><html><head><meta charset="utf-8"><title>fake angular</title>
<style>li { margin: 20px; } app-item { display: block; padding: 8px; border: 1px solid #ccc; }</style></head><body>
<app-root>
  <h1>Shop</h1>
  <input id="app-field" placeholder="search">
  <app-list>
    <ul>
      <li><app-item><span class="label">Alpha</span> <button class="buy">Buy</button></app-item></li>
      <li><app-item><span class="label">Beta</span> <button class="buy">Buy</button></app-item></li>
      <li><app-item><span class="label">Gamma</span> <button class="buy">Buy</button></app-item></li>
    </ul>
  </app-list>
</app-root>
<script>
  ${APP_PROBES}
  document.querySelectorAll('button.buy').forEach((b) => b.addEventListener('click', () => { window.appClicks++; }));
  const SIGNAL = Symbol('SIGNAL');
  const signal = (v) => { const f = () => v; f[SIGNAL] = true; return f; };
  class AppComponent { static ɵcmp = { selectors: [['app-root']], inputs: {} }; }
  class ListComponent { static ɵcmp = { selectors: [['app-list']], inputs: {} }; }
  class ItemComponent {
    static ɵcmp = {
      selectors: [['app-item'], ['', 'appItem', '']],
      inputs: { label: 'label', title: ['itemTitle', 0], count: 'count' },
    };
    constructor(label, i) { this.label = label; this.itemTitle = 'Title ' + i; this.count = signal(i + 1); this.onBuy = () => {}; }
  }
  const components = new Map();
  components.set(document.querySelector('app-root'), new AppComponent());
  components.set(document.querySelector('app-list'), new ListComponent());
  document.querySelectorAll('app-item').forEach((el, i) => components.set(el, new ItemComponent(el.querySelector('.label').textContent, i)));
  window.ng = {
    getComponent: (el) => components.get(el) || null,
    getOwningComponent: (el) => { for (let n = el.parentElement; n; n = n.parentElement) if (components.has(n)) return components.get(n); return null; },
    getContext: (el) => components.get(el) || null,
    applyChanges: () => {},
  };
</script>
${overlayTag(port)}
</body></html>`;

export const reactPage = ({ port }) => `<!doctype html><html><head><meta charset="utf-8"><title>fake react</title></head><body>
<div id="root"><div class="cart"><button id="pay">Pay</button></div></div>
<script>
  ${APP_PROBES}
  function App() {}
  function CartButton() {}
  const pay = document.getElementById('pay');
  const appFiber = { type: App, return: null, memoizedProps: {} };
  const divFiber = { type: 'div', stateNode: document.querySelector('.cart'), return: appFiber };
  const cartFiber = { type: CartButton, return: divFiber, memoizedProps: { label: 'Pay', total: 42, children: 'x' },
    _debugSource: { fileName: 'src/CartButton.jsx', lineNumber: 12, columnNumber: 3 } };
  const buttonFiber = { type: 'button', stateNode: pay, return: cartFiber };
  cartFiber.child = buttonFiber;
  pay.__reactFiber$abc123 = buttonFiber;
</script>
${overlayTag(port)}
</body></html>`;

export const plainPage = ({ port }) => `<!doctype html><html><head><meta charset="utf-8"><title>plain</title></head><body>
<main><section><p>first</p><p class="target">second paragraph</p></section></main>
<script>${APP_PROBES}</script>
${overlayTag(port)}
</body></html>`;

// A .ts file that makes serve's manifest know ItemComponent.
export const ITEM_COMPONENT_TS = `import { Component, input } from '@angular/core';
@Component({
  selector: 'app-item',
  templateUrl: './item.component.html',
})
export class ItemComponent {}
`;
