// The runtime fallback on Rsbuild: tests/fixtures/rsbuild-app (create-rsbuild,
// React, no integration) behind `ng-annotate serve --proxy`, in headless
// Chromium. React's jsxDEV sits in Rsbuild's vendor chunk (static/js/lib-react.js):
// the overlay must skip it and take the file from the app chunk's source map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServe } from '../integration/lib/serve.js';
import { launch } from './lib/browser.js';
import { annotate, overlayReady, WAIT } from './lib/vite-app.js';
import { RSBUILD_APP, rsbuildInstalled, startRsbuildApp } from './lib/rsbuild-app.js';

test('rsbuild dev behind serve --proxy: the file comes from the source map, not React\'s vendor chunk', { timeout: 300000 }, async (t) => {
  assert.ok(rsbuildInstalled(), 'tests/fixtures/rsbuild-app is not installed: run make setup');
  const app = await startRsbuildApp(t);
  const proxy = await startServe(t, { root: app.root, args: ['--proxy', app.url], ms: 10000 });
  const browser = await launch(t);
  const page = await browser.newPage();
  page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
  await page.goto(`http://127.0.0.1:${proxy.port}/`, { timeout: 60000 });
  await overlayReady(page, 60000);
  await page.locator('.price-tag').waitFor(WAIT);
  for (const [i, c] of RSBUILD_APP.cases.entries()) {
    await t.test(c.name, async () => {
      const a = await annotate(page, app.root, page.locator(c.click), `rsbuild proxy ${i} ${Date.now()}`);
      await page.keyboard.press('Escape');
      assert.equal(a.framework, RSBUILD_APP.framework);
      for (const [field, want] of Object.entries(c.truth)) assert.deepEqual(a[field], want, field);
      assert.equal((a.sourceLocation || '').replace(/:\d+:\d+$/, ''), c.locationFile, `sourceLocation ${a.sourceLocation}`);
    });
  }
});
