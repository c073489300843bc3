// The framework adapters' own paths, when an element carries no source stamp
// (an app without our Vite plugin's transform): the real fixture apps on their
// real dev servers, with every data-nga-src (and Vue's compact nga) removed from the DOM before the
// click, so the location can only come from the framework's dev internals:
// React 19's `_debugStack` (mapped through the served module's source map),
// Vue's `type.__file` made root-relative. The truth is the stamp the
// transform had put on the same element. (Svelte 5 is never stamped: its own
// `__svelte_meta` is the only path, which tests/e2e/apps.test.js checks.)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './lib/browser.js';
import { startViteApp, annotate, overlayReady, shot, WAIT } from './lib/vite-app.js';

const CASES = [
  { app: 'react-demo', framework: 'react', click: 'li:nth-of-type(2) .price-amount', componentName: 'PriceTag', file: 'src/components/PriceTag.tsx', tree: ['App', 'ProductList', 'ProductCard'] },
  { app: 'vue-demo', framework: 'vue', click: '.user-name', componentName: 'UserCard', file: 'src/components/UserCard.vue', tree: ['App'], noLocation: true },
];

for (const c of CASES) {
  describe(`${c.app} without source stamps`, () => {
    let app, browser, page;
    const cleanups = [];
    before(async () => {
      app = await startViteApp(c.app);
      browser = await launch({ after: (fn) => cleanups.push(fn) });
      page = await browser.newPage();
      page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
      await page.goto(app.url);
      await overlayReady(page);
    });
    after(async () => {
      for (const fn of cleanups) await fn().catch(() => {});
      if (app) await app.stop();
    });

    it(`${c.componentName}: name, root-relative file, ancestry and the location from ${c.framework}'s own debug info`, async () => {
      const target = page.locator(c.click);
      // The stamp: its own, or Vue's compact `nga="line:col"` with the file
      // of the full stamp its chain of stamped parents starts at.
      const truth = await target.evaluate((el) => {
        const short = el.getAttribute('nga');
        if (!short) return el.getAttribute('data-nga-src');
        for (let n = el.parentElement; n; n = n.parentElement) {
          const f = n.getAttribute('data-nga-src');
          if (f) return `${f.replace(/:\d+:\d+$/, '')}:${short}`;
        }
        return null;
      }, null, WAIT);
      assert.match(truth, /^src\/.+:\d+:\d+$/, 'the fixture is stamped (the truth for this test)');
      await page.evaluate(() => {
        for (const el of document.querySelectorAll('[data-nga-src], [nga]')) { el.removeAttribute('data-nga-src'); el.removeAttribute('nga'); }
      });
      const a = await annotate(page, app.root, target, `${c.app} unstamped`);
      await shot(page, `${c.app}-unstamped`);
      assert.equal(a.framework, c.framework);
      assert.equal(a.componentName, c.componentName);
      assert.equal(a.componentFilePath, c.file);
      assert.deepEqual(a.componentTreePath, c.tree);
      if (c.noLocation) assert.equal(a.sourceLocation, undefined, 'Vue keeps no template positions at run time');
      else assert.equal(a.sourceLocation, truth);
      assert.ok(!/data-nga-src| nga=/.test(a.domSnapshot));
    });
  });
}
