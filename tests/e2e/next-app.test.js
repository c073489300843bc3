// tests/fixtures/next-app (create-next-app 16, App Router, client and server
// components) in headless Chromium, one `next dev` per mode:
//   - through its one-line integration (`withNgAnnotate(nextConfig)`), on
//     Turbopack (Next's default) and on webpack (`--webpack`): the overlay
//     loads from Next's own origin, known components (a server component
//     included) are stored with the truth of lib/next-app.js, and on
//     Turbopack an edit hot-updates with the overlay and badges kept;
//   - without it, behind `ng-annotate serve --proxy`: the runtime fallback
//     (React's stacks, source maps, owner info) gives the same truth;
//   - the same components in a Next 15 app (tests/fixtures/next15-app), on Turbopack;
//   - `next build` output has no trace of ng-annotate.
// The fixture's next.config.ts is edited in place (and restored), so the
// modes run one after the other in this one file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServe } from '../integration/lib/serve.js';
import { launch } from './lib/browser.js';
import { annotate, badge, editFile, overlayReady, waitForEdit, WAIT } from './lib/vite-app.js';
import { NEXT_APP, NEXT_ROOT, NEXT15_ROOT, buildNext, nextInstalled, startNextApp, withoutIntegration } from './lib/next-app.js';

const TIMEOUT = 600000;

async function openPage(t, url) {
  const browser = await launch(t);
  const page = await browser.newPage();
  page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
  await page.goto(url, { timeout: 120000 });
  await overlayReady(page, 60000);
  await page.locator('.price-tag').first().waitFor(WAIT);
  return page;
}

async function checkCases(t, page, base, label, root = NEXT_ROOT) {
  const stored = [];
  for (const [i, c] of NEXT_APP.cases.entries()) {
    await t.test(c.name, async () => {
      const url = new URL(c.path || '/', base).href;
      if (page.url() !== url) {
        await page.goto(url, { timeout: 120000 });
        await overlayReady(page, 60000);
      }
      const a = await annotate(page, root, page.locator(c.click), `next ${label} ${i} ${Date.now()}`);
      await page.keyboard.press('Escape');
      stored[i] = a;
      assert.equal(a.framework, NEXT_APP.framework);
      for (const [field, want] of Object.entries(c.truth)) assert.deepEqual(a[field], want, field);
    });
  }
  return stored;
}

for (const mode of ['turbopack', 'webpack']) {
  test(`next dev (${mode}) with withNgAnnotate: overlay on Next's origin, stamps, the truth stored`, { timeout: TIMEOUT }, async (t) => {
    assert.ok(nextInstalled(), 'tests/fixtures/next-app is not installed: run make setup');
    const next = await startNextApp(t, { mode });
    assert.match(next.log(), /\[ng-annotate\] (started|using)/, 'the dev log says the daemon is there');
    const page = await openPage(t, next.url);
    // Same origin: the script and the socket go through Next's dev server.
    assert.equal(await page.evaluate(() => document.querySelector('script[src="/__annotate/client.js"]') !== null), true);
    assert.equal(await page.locator('.server-note').getAttribute('data-nga-src'), 'app/components/ServerNote.tsx:4:5');
    const stored = await checkCases(t, page, next.url, mode);
    if (mode !== 'turbopack') return;

    await t.test('an edit hot-updates the page, overlay and badges kept', async () => {
      const a = stored[0];
      assert.ok(a, 'the first case was annotated');
      await page.goto(next.url, { timeout: 120000 });
      await overlayReady(page, 60000);
      await badge(page, a.id).waitFor({ state: 'visible', ...WAIT });
      await page.evaluate(() => { window.__notReloaded = true; });
      const restore = editFile(NEXT_ROOT, 'app/components/PriceTag.tsx', (s) => s.replace('{currency}', '{currency} net'));
      t.after(restore);
      try {
        await waitForEdit(restore, (timeout) => page.waitForFunction(
          () => document.querySelector('li:nth-child(2) .price-tag')?.textContent.includes('EUR net'), null, { timeout }), { timeout: 60000 });
        assert.equal(await page.evaluate(() => window.__notReloaded), true, 'a Fast Refresh update, not a reload');
        assert.equal(await page.locator('li:nth-child(2) .price-tag').getAttribute('data-nga-src'), 'app/components/PriceTag.tsx:5:5');
        assert.equal(await page.evaluate(() => window.__ngAnnotate.connected), true);
        await badge(page, a.id).waitFor({ state: 'visible', ...WAIT });
      } finally {
        restore();
      }
    });
  });
}

for (const mode of ['turbopack', 'webpack']) {
  test(`next dev (${mode}) without the integration, behind serve --proxy: the runtime fallback stores the truth`, { timeout: TIMEOUT }, async (t) => {
    assert.ok(nextInstalled(), 'tests/fixtures/next-app is not installed: run make setup');
    const restore = editFile(NEXT_ROOT, 'next.config.ts', withoutIntegration);
    t.after(restore);
    const next = await startNextApp(t, { mode });
    assert.doesNotMatch(next.log(), /ng-annotate/);
    const proxy = await startServe(t, { root: NEXT_ROOT, args: ['--proxy', next.url.replace(/\/$/, '')], ms: 10000 });
    const page = await openPage(t, `http://127.0.0.1:${proxy.port}/`);
    // No stamps: the answer can only come from React's dev internals.
    assert.equal(await page.locator('[data-nga-src]').count(), 0);
    await checkCases(t, page, `http://127.0.0.1:${proxy.port}/`, `proxy ${mode}`);
  });
}

// Next 15 names Turbopack chunks so that its own client wrappers (Root,
// ServerRoot) look like app code: only their source maps tell.
test('Next 15 (turbopack) with withNgAnnotate: the same truth, Next\'s wrappers left out by their source maps', { timeout: TIMEOUT }, async (t) => {
  assert.ok(nextInstalled(NEXT15_ROOT), 'tests/fixtures/next15-app is not installed: run make setup');
  const next = await startNextApp(t, { root: NEXT15_ROOT, mode: 'turbopack' });
  assert.match(next.log(), /Next\.js 15\./);
  assert.match(next.log(), /\[ng-annotate\] (started|using)/);
  const page = await openPage(t, next.url);
  await checkCases(t, page, next.url, 'next15', NEXT15_ROOT);
});

test('next build with withNgAnnotate: no trace of ng-annotate in the output', { timeout: TIMEOUT }, () => {
  assert.ok(nextInstalled(), 'tests/fixtures/next-app is not installed: run make setup');
  const { files, log } = buildNext();
  assert.ok(Object.keys(files).some((f) => f.endsWith('.html')), `the build wrote pages:\n${log}`);
  for (const [file, text] of Object.entries(files)) {
    for (const trace of ['__annotate', 'data-nga-src', 'ng-annotate']) assert.ok(!text.includes(trace), `${file} has ${trace}`);
  }
  assert.doesNotMatch(log, /ng-annotate/, 'nothing started for a build');
});
