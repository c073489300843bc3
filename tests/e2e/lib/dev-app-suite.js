// The suite a fixture app runs through its one-line integration on its own
// dev server, from a row of truth (tests/e2e/apps/<app>.js): the overlay
// loads, known components are annotated with the right name, root-relative
// file, sourceLocation, props and ancestry; the daemon's store is at the
// project root; an edit hot-updates with the badges kept; the production
// build has no trace. The row brings its own start() and build(root).
//
// row: {app, framework, start, build, buildMarks, stamps: [[css, stamp]],
//       cases: [{name, click, host, truth}], hmr: {file, edit, changed, text}}
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from './browser.js';
import { annotate, overlayReady, badge, centreWithin, selectorMatches, shot, editFile, waitForEdit, WAIT } from './vite-app.js';

export function devAppSuite(row) {
  describe(`${row.app} on its own dev server`, () => {
    let app, browser, page;
    const cleanups = [];
    const results = [];
    const stopApp = async () => { if (app) { const a = app; app = null; await a.stop(); } };

    before(async () => {
      app = await row.start();
      browser = await launch({ after: (fn) => cleanups.push(fn) });
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      page = await context.newPage();
      page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
      // The first load may make the dev server optimise a dependency it had
      // not seen and reload the page: load until a page stays.
      await page.goto(app.url, { waitUntil: 'networkidle', timeout: 60000 });
      await page.goto(app.url, { waitUntil: 'networkidle', timeout: 60000 });
      await overlayReady(page);
    });
    after(async () => {
      for (const fn of cleanups) await fn().catch(() => {});
      await stopApp();
    });

    it('the overlay came from the dev server\'s own origin, and the daemon serves the project root', async () => {
      const health = await page.evaluate(() => fetch('/__annotate/health').then((r) => r.json()));
      assert.equal(health.root, app.root);
      assert.ok(existsSync(join(app.root, '.ng-annotate/store.db')), 'the store is at the project root');
      const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.getAttribute('src')).filter((s) => s && s.includes('__annotate')));
      assert.deepEqual(scripts, ['/__annotate/client.js']);
    });

    it('every element a component renders carries its source stamp (file:line:col, root-relative)', async () => {
      for (const [css, want] of row.stamps) {
        const got = await page.locator(css).first().getAttribute('data-nga-src', WAIT);
        assert.equal(got, want, css);
      }
    });

    for (const [i, c] of row.cases.entries()) {
      it(`annotating ${c.name} stores the truth`, async () => {
        const text = `${row.app} case ${i}: ${c.name}`;
        const a = await annotate(page, app.root, page.locator(c.click), text);
        results[i] = a;
        await shot(page, `${row.app}-annotated-${i}`);
        const t = c.truth;
        assert.equal(a.framework, row.framework);
        assert.equal(a.componentName, t.componentName);
        assert.equal(a.componentFilePath, t.componentFilePath);
        assert.deepEqual(a.componentTreePath, t.componentTreePath);
        assert.deepEqual(a.inputs, t.inputs);
        assert.equal(a.sourceLocation, t.sourceLocation);
        const m = await selectorMatches(page, a.selector, page.locator(c.host));
        assert.deepEqual(m, { count: 1, isTarget: true }, `selector ${JSON.stringify(a.selector)}`);
        for (const s of t.snapshotIncludes || []) assert.ok(a.domSnapshot.includes(s), `domSnapshot has ${s}`);
        const b = badge(page, a.id);
        await b.waitFor({ state: 'visible', ...WAIT });
        assert.ok(centreWithin(await b.boundingBox(), await page.locator(c.host).boundingBox()), 'its badge sits on it');
      });
    }

    it('an edit hot-updates the page (no reload); the updated element is stamped and every badge stays', async () => {
      const { file, edit, changed, text } = row.hmr;
      await page.evaluate(() => { window.__notReloaded = true; });
      const restore = editFile(app.root, file, edit);
      try {
        await waitForEdit(restore, (timeout) => page.waitForFunction(([css, want]) => {
          const el = document.querySelector(css);
          return el && el.textContent.includes(want);
        }, [changed, text], { timeout }));
        assert.equal(await page.evaluate(() => window.__notReloaded), true, 'an HMR update, not a full reload');
        const stamp = await page.locator(changed).first().getAttribute('data-nga-src');
        assert.match(stamp || '', new RegExp(`^${file.replace(/[.]/g, '\\.')}:\\d+:\\d+$`));
        for (const [i, a] of results.entries()) {
          assert.ok(a, `case ${i} was annotated`);
          await badge(page, a.id).waitFor({ state: 'visible', ...WAIT });
        }
        await shot(page, `${row.app}-after-hmr`);
      } finally {
        restore();
      }
    });

    it('the production build has no stamp, overlay or ng-annotate in its output', async () => {
      const { root } = app;
      await stopApp(); // the dev server holds the build directory
      const files = row.build(root);
      assert.ok(Object.keys(files).some((f) => /\.m?js$/.test(f)), 'the build wrote JavaScript');
      for (const [name, body] of Object.entries(files)) {
        for (const mark of row.buildMarks) assert.ok(!body.includes(mark), `${name} contains ${mark}`);
      }
    });
  });
}
