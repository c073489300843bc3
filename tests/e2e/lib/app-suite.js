// The field-truth suite every Vite fixture app runs (tests/e2e/<framework>-app.test.js):
// one dev server per file, the real overlay, the real store. Each app's test
// file writes down the truth; this file only knows how to check it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.js';
import {
  startViteApp, annotate, overlayReady, badge, trayBadge, centreWithin, selectorMatches, shot,
  editFile, waitForEdit, buildApp, WAIT,
} from './vite-app.js';

// spec: {app, framework, stamps: [[css, stamp]], cases: [{name, click, host, truth}],
//        badgeCase, hmr: {file, edit, changed: css, text}, drift: {file, edit, present: css, caseIndex}}
export function appSuite(spec) {
  describe(`${spec.app} on its Vite dev server`, () => {
    let app, browser, page;
    const cleanups = [];
    const results = [];

    before(async () => {
      app = await startViteApp(spec.app);
      browser = await launch({ after: (fn) => cleanups.push(fn) });
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
      await page.goto(app.url);
      await overlayReady(page);
    });
    after(async () => {
      for (const fn of cleanups) await fn().catch(() => {});
      if (app) await app.stop();
    });

    it('every element a component renders carries its source stamp (file:line:col, root-relative)', async () => {
      for (const [css, want] of spec.stamps) {
        const got = await page.locator(css).first().getAttribute('data-nga-src', WAIT);
        assert.equal(got, want, css);
      }
    });

    it('the framework\'s own click handler does not fire on an inspect click, and does after', async () => {
      const counter = page.locator('button.counter');
      await page.keyboard.press('Alt+Shift+KeyA');
      await page.waitForFunction(() => window.__ngAnnotate.state.inspecting, null, WAIT);
      await counter.click(WAIT);
      await page.locator('ng-annotate-overlay').locator('.panel[data-mode="annotate"]').waitFor({ state: 'visible', ...WAIT });
      assert.equal((await counter.textContent()).trim(), 'Count is 0');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !window.__ngAnnotate.state.inspecting, null, WAIT);
      await counter.click(WAIT);
      await page.waitForFunction(() => document.querySelector('button.counter').textContent.trim() === 'Count is 1', null, WAIT);
    });

    for (const [i, c] of spec.cases.entries()) {
      it(`annotating ${c.name} stores the truth`, async () => {
        const text = `${spec.app} case ${i}: ${c.name}`;
        const a = await annotate(page, app.root, page.locator(c.click), text);
        results[i] = a;
        await shot(page, `${spec.app}-annotated-${i}`);
        const t = c.truth;
        assert.equal(a.framework, spec.framework);
        assert.equal(a.componentName, t.componentName);
        assert.equal(a.componentFilePath, t.componentFilePath);
        if ('templateFilePath' in t) assert.equal(a.templateFilePath, t.templateFilePath);
        assert.deepEqual(a.componentTreePath, t.componentTreePath);
        assert.deepEqual(a.inputs, t.inputs);
        assert.equal(a.sourceLocation, t.sourceLocation);
        // The selector finds the component's element, and only it.
        const m = await selectorMatches(page, a.selector, page.locator(c.host));
        assert.deepEqual(m, { count: 1, isTarget: true }, `selector ${JSON.stringify(a.selector)}`);
        for (const s of t.snapshotIncludes || []) assert.ok(a.domSnapshot.includes(s), `domSnapshot has ${s}`);
        assert.ok(a.anchor && typeof a.anchor === 'object', 'an anchor for the badge');
      });
    }

    it('the list item\'s badge sits on that item', async () => {
      const i = spec.badgeCase;
      const a = results[i];
      assert.ok(a, 'its annotation was made');
      const b = badge(page, a.id);
      await b.waitFor({ state: 'visible', ...WAIT });
      const [bb, hb] = [await b.boundingBox(), await page.locator(spec.cases[i].host).boundingBox()];
      assert.ok(centreWithin(bb, hb), JSON.stringify({ badge: bb, host: hb }));
    });

    it('HMR still works with stamps, and the updated element is stamped', async () => {
      const { file, edit, changed, text } = spec.hmr;
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
        await shot(page, `${spec.app}-after-hmr`);
      } finally {
        restore();
      }
      await page.waitForFunction(([css, want]) => {
        const el = document.querySelector(css);
        return el && !el.textContent.includes(want);
      }, [changed, text], WAIT);
    });

    it('drift: after an edit around the annotated component and a reload, its badge is on it or in the tray', async () => {
      const { file, edit, present, caseIndex } = spec.drift;
      const a = results[caseIndex];
      assert.ok(a, 'its annotation was made');
      const restore = editFile(app.root, file, edit);
      try {
        await waitForEdit(restore, (timeout) => page.waitForSelector(present, { timeout }));
        await page.reload();
        await overlayReady(page);
        await page.waitForSelector(present, WAIT);
        const b = badge(page, a.id);
        await b.waitFor({ state: 'visible', ...WAIT });
        await shot(page, `${spec.app}-drift`);
        if (await trayBadge(page, a.id).count()) return; // unplaced: allowed
        const [bb, hb] = [await b.boundingBox(), await page.locator(spec.cases[caseIndex].host).boundingBox()];
        assert.ok(centreWithin(bb, hb), `badge on its component: ${JSON.stringify({ badge: bb, host: hb })}`);
      } finally {
        restore();
      }
    });

    it('the app\'s own npm run build (type check, vite build) passes, with no stamp, props hook or overlay in its output', () => {
      const files = buildApp(app.root);
      assert.ok(Object.keys(files).some((f) => f.endsWith('.js')), 'the build wrote JavaScript');
      for (const [name, body] of Object.entries(files)) {
        for (const mark of ['data-nga-src', '__ngaProps', '__nga_expose', '/__annotate']) {
          assert.ok(!body.includes(mark), `${name} contains ${mark}`);
        }
      }
    });
  });
}
