// The field-truth suite every fixture app runs (tests/e2e/apps.test.js holds
// the table): one dev server per app, started through its one-line
// integration, the real overlay, the real store. The table writes down the
// truth; this file only knows how to check it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage } from './browser.js';
import {
  startViteApp, annotate, overlayReady, badge, trayBadge, centreWithin, selectorMatches, shot,
  editFile, waitForEdit, buildApp, WAIT,
} from './vite-app.js';

// Server-rendered pages are in place before their framework wires them up
// (hydration, islands): the counter is live once the framework has put its
// own properties on it (a plain element has none; React adds __reactProps$…,
// Svelte __svelte_meta and Symbol(events), Vue _vei).
function hydrated(page) {
  return page.waitForFunction(() => {
    const counter = document.querySelector('button.counter');
    return Boolean(counter) && Object.getOwnPropertyNames(counter).length + Object.getOwnPropertySymbols(counter).length > 0;
  }, null, WAIT);
}

// spec: {app, framework, integration, start: {bin, args, node22}, build: {outDirs, node22},
//        stamps: [[css, stamp]], cases: [{name, click, host, truth}], ancestryPending: why,
//        badgeCase, hmr: {file, edit, changed: css, text}, drift: {file, edit, present: css, caseIndex}}
export function appSuite(spec) {
  describe(`${spec.app} through ${spec.integration}`, () => {
    let app, browser, page;
    const cleanups = [];
    const results = [];

    before(async () => {
      app = await startViteApp(spec.app, { start: spec.start });
      browser = await launch({ after: (fn) => cleanups.push(fn) });
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await newPage(browser, context); // NG_ANNOTATE_OVERLAY_FILE works here too
      if (process.env.NGA_APP_LOG) {
        page.on('console', (m) => console.log(`[console ${m.type()}] ${m.text().slice(0, 300)}`));
        page.on('framenavigated', (f) => { if (f === page.mainFrame()) console.log(`[navigated] ${f.url()}`); });
      }
      // Twice: on a cold cache Vite's dependency optimizer reloads the page
      // once it has found the page's imports, which must not happen mid-test.
      for (let i = 0; i < 2; i++) {
        await page.goto(app.url);
        await overlayReady(page);
        await hydrated(page);
      }
    });
    after(async () => {
      for (const fn of cleanups) await fn().catch(() => {});
      if (app) await app.stop();
      if (app && process.env.NGA_APP_LOG) console.log(`--- ${spec.app}'s dev server log\n${app.log()}`);
    });

    it('the page the dev server sent carries the overlay\'s script tag once, and the overlay runs', async () => {
      const html = await (await fetch(app.url, { headers: { accept: 'text/html' }, signal: AbortSignal.timeout(20000) })).text();
      assert.equal(html.split('<script src="/__annotate/client.js"></script>').length - 1, 1, html.slice(0, 2000));
      assert.equal(await page.locator('script[src="/__annotate/client.js"]').count(), 1);
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
        if (!spec.ancestryPending) assert.deepEqual(a.componentTreePath, t.componentTreePath);
        assert.deepEqual(a.inputs, t.inputs);
        assert.equal(a.sourceLocation, t.sourceLocation);
        // The selector finds the component's element, and only it.
        const m = await selectorMatches(page, a.selector, page.locator(c.host));
        assert.deepEqual(m, { count: 1, isTarget: true }, `selector ${JSON.stringify(a.selector)}`);
        for (const s of t.snapshotIncludes || []) assert.ok(a.domSnapshot.includes(s), `domSnapshot has ${s}`);
        assert.ok(a.anchor && typeof a.anchor === 'object', 'an anchor for the badge');
      });
    }

    if (spec.ancestryPending) {
      // Runs and reports, but does not fail the run until the work it waits
      // for is merged (then the row's ancestryPending goes).
      it('ancestry names the user\'s components only', { todo: spec.ancestryPending }, () => {
        for (const [i, c] of spec.cases.entries()) {
          assert.deepEqual(results[i]?.componentTreePath, c.truth.componentTreePath, c.name);
        }
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
        // The overlay and the badges made before the edit are still there.
        assert.equal(await page.evaluate(() => Boolean(window.__ngAnnotate && window.__ngAnnotate.connected)), true, 'overlay connected');
        const earlier = results[spec.badgeCase];
        assert.ok(earlier, 'its annotation was made');
        await badge(page, earlier.id).waitFor({ state: 'visible', ...WAIT });
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
        await hydrated(page);
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

    it('the app\'s own npm run build passes, with no stamp, props hook or overlay in its output', () => {
      const files = buildApp(app.root, spec.build);
      assert.ok(Object.keys(files).some((f) => /\.m?js$/.test(f)), 'the build wrote JavaScript');
      for (const [name, body] of Object.entries(files)) {
        for (const mark of ['data-nga-src', '__ngaProps', '__nga_expose', '__annotate', 'ng-annotate']) {
          assert.ok(!body.includes(mark), `${name} contains ${mark}`);
        }
      }
    });
  });
}
