// The field-truth suite every fixture app runs (tests/e2e/apps.test.js holds
// the table): one dev server per row, started through the app's one-line
// integration (or, for a `proxy` row, without it behind `ng-annotate serve
// --proxy`), the real overlay, the real store. The table writes down the
// truth; this file only knows how to check it. A check runs when its row
// gives what it needs (a counter, an hmr edit, a drift edit, a build).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage } from './browser.js';
import { startServe } from '../../integration/lib/serve.js';
import {
  annotate, overlayReady, badge, trayBadge, centreWithin, selectorMatches, shot, editFile, waitForEdit, waitForRestore, WAIT,
} from './vite-app.js';

// What a production build must never contain, unless the row says otherwise.
// `data-nga-src` (and `data-nga-id`): every stamped template has one, Vue's
// compact `nga` stamps included, so none means nothing was stamped.
const BUILD_MARKS = ['data-nga', '__ngaProps', '__nga_expose', '__annotate', 'ng-annotate'];
const PAGE_LOAD = { timeout: 120000 }; // a framework's first compile of a page, on two busy cores

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

// The page at `url` as the dev server renders it: {status, body}, within 10 s.
async function serverPage(url) {
  try {
    const res = await fetch(url, { headers: { accept: 'text/html' }, signal: AbortSignal.timeout(10000) });
    return { status: res.status, body: await res.text() };
  } catch (error) {
    return { status: 0, body: String(error) };
  }
}

// Resolves once the server renders `url` with 200 and a body matching `re`;
// rejects after `timeout` ms with what it rendered last.
async function serverRenders(url, re, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const { status, body } = await serverPage(url);
    if (status === 200 && re.test(body)) return;
    if (Date.now() > deadline) throw new Error(`${url} rendered ${status} without ${re}: ${body.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// row: {app, framework, label, start() → {root, url, stop(), log()}, proxy, clientRendered,
//       log: {has: [re], lacks: [re]}, waitUntil, counter, ready: css,
//       stamps: [[css, stamp]] | 'none', locations: 'svelte-meta' | 'ng-source-location',
//       cases: [{name, path, click, host, framework, truth, locationFile}],
//       hmr: {file, edit, changed: css, text, stamp, timeout, reload}, drift: {file, edit, present: css, caseIndex},
//       build(root) → {files, log}, buildMarks, buildWrites: re}
export function appSuite(row) {
  describe(`${row.app} ${row.label}`, () => {
    let app, proxy, browser, page, base;
    const cleanups = [];
    const results = [];
    const stopApp = async () => { if (app && !app.stopped) { app.stopped = true; await app.stop(); } };
    // The overlay is connected and the page is live (its counter hydrated,
    // or `row.ready` shown); another path than the base has its own content.
    const ready = async (path = '/') => {
      await overlayReady(page, 60000);
      if (path !== '/') return;
      // `clientRendered`: the framework renders in the browser only (no server
      // HTML to hydrate, and Angular puts no own property on the button).
      if (row.counter && !row.clientRendered) await hydrated(page);
      if (row.ready) await page.locator(row.ready).first().waitFor(WAIT);
    };
    // The page at `path` of the app (base when none), loaded and ready.
    const visit = async (path = '/') => {
      const url = new URL(path, base).href;
      if (page.url() === url) return;
      await page.goto(url, { waitUntil: row.waitUntil ?? 'load', ...PAGE_LOAD });
      await ready(path);
    };
    const hook = { after: (fn) => cleanups.push(fn) };
    // Where the element at `locator` is written, as a stamp reads: its
    // `data-nga-src`, or Vue's compact `nga="line:col"` with the file of
    // the `data-nga-src` its chain of stamped parents starts at, or
    // (`locations: 'svelte-meta'`: Svelte 5 records it itself, so nothing is
    // stamped) its `__svelte_meta.loc`, 0-based column, or (`locations:
    // 'ng-source-location'`: Angular's compiler writes it) its
    // `data-ng-source-location`, `file@o:offset,l:line,c:col`, 0-based.
    const locationOf = (locator) => {
      if (row.locations === 'svelte-meta') {
        return locator.first().evaluate((el) => {
          const loc = el.__svelte_meta && el.__svelte_meta.loc;
          return loc ? `${loc.file}:${loc.line}:${loc.column + 1}` : null;
        }, null, WAIT);
      }
      if (row.locations === 'ng-source-location') {
        return locator.first().getAttribute('data-ng-source-location', WAIT).then((v) => {
          const m = /^(.*)@o:\d+,l:(\d+),c:(\d+)$/.exec(v || '');
          return m ? `${m[1]}:${Number(m[2]) + 1}:${Number(m[3]) + 1}` : v;
        });
      }
      return locator.first().evaluate((el) => {
        const full = el.getAttribute('data-nga-src');
        const short = el.getAttribute('nga');
        if (full || !short) return full;
        for (let n = el.parentElement; n; n = n.parentElement) {
          const f = n.getAttribute('data-nga-src');
          if (f) return `${f.replace(/:\d+:\d+$/, '')}:${short}`;
          if (!n.hasAttribute('nga')) return null;
        }
        return null;
      }, null, WAIT);
    };

    before(async () => {
      app = await row.start();
      base = app.url;
      if (row.proxy) {
        proxy = await startServe(hook, { root: app.root, args: ['--proxy', app.url.replace(/\/$/, '')], ms: 10000 });
        base = `http://127.0.0.1:${proxy.port}/`;
      }
      browser = await launch(hook);
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      page = await newPage(browser, context); // NG_ANNOTATE_OVERLAY_FILE works here too
      if (process.env.NGA_APP_LOG) {
        page.on('console', (m) => console.log(`[console ${m.type()}] ${m.text().slice(0, 300)}`));
        page.on('framenavigated', (f) => { if (f === page.mainFrame()) console.log(`[navigated] ${f.url()}`); });
      }
      // Twice: on a cold cache a dev server's dependency optimizer may reload
      // the page once it has found the page's imports, not mid-test.
      for (let i = 0; i < 2; i++) {
        await page.goto(base, { waitUntil: row.waitUntil ?? 'load', ...PAGE_LOAD });
        await ready();
      }
    });
    after(async () => {
      for (const fn of cleanups.reverse()) await fn().catch(() => {});
      if (app && process.env.NGA_APP_LOG) console.log(`--- ${row.app}'s dev server log\n${app.log()}`);
      await stopApp();
    });

    if (row.log) {
      it('the dev server\'s log says what the integration did (or nothing, without it)', () => {
        for (const re of row.log.has ?? []) assert.match(app.log(), re);
        for (const re of row.log.lacks ?? []) assert.doesNotMatch(app.log(), re);
      });
    }

    it('the page carries the overlay\'s script tag once, from its own origin, and the daemon serves the project root', async () => {
      const html = await (await fetch(base, { headers: { accept: 'text/html' }, signal: AbortSignal.timeout(60000) })).text();
      assert.equal(html.split(/<script src="\/__annotate\/client\.js"/).length - 1, 1, html.slice(0, 2000));
      const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.getAttribute('src')).filter((s) => s && s.includes('__annotate')));
      // capture.js, the overlay's lazy chunk, may already have come at the
      // first idle moment after the page's load event: it is not a tag
      // of the page, and it comes from the page's own origin too.
      const lazyChunk = (await page.evaluate(() => location.origin)) + '/__annotate/capture.js';
      assert.deepEqual(scripts.filter((s) => s !== lazyChunk), ['/__annotate/client.js']);
      const health = await page.evaluate(() => fetch('/__annotate/health').then((r) => r.json()));
      assert.equal(health.root, app.root);
      assert.ok(existsSync(join(app.root, '.ng-annotate/store.db')), 'the store is at the project root');
    });

    if (row.stamps === 'none') {
      it('no element carries a stamp: the answers can only come from the framework\'s dev internals', async () => {
        assert.equal(await page.locator('[data-nga-src], [nga]').count(), 0);
      });
    } else if (row.stamps) {
      it('every element a component renders carries its source stamp (file:line:col, root-relative)', async () => {
        for (const [css, want] of row.stamps) {
          assert.equal(await locationOf(page.locator(css)), want, css);
        }
        if (row.locations) assert.equal(await page.locator('[data-nga-src], [nga]').count(), 0, `no stamp where ${row.locations} holds locations`);
      });
    }

    if (row.counter) {
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
    }

    for (const [i, c] of row.cases.entries()) {
      it(`annotating ${c.name} stores the truth`, async () => {
        await visit(c.path);
        const a = await annotate(page, app.root, page.locator(c.click), `${row.app} ${row.label} case ${i}: ${c.name}`);
        await page.keyboard.press('Escape');
        results[i] = a;
        await shot(page, `${row.app}-${row.label.replace(/\W+/g, '-')}-annotated-${i}`);
        assert.equal(a.framework, c.framework ?? row.framework);
        const { snapshotIncludes = [], ...fields } = c.truth;
        for (const [field, want] of Object.entries(fields)) assert.deepEqual(a[field], want, field);
        // Where a bundler's maps are line-only, the location's file is the truth.
        if (c.locationFile) assert.equal((a.sourceLocation || '').replace(/:\d+:\d+$/, ''), c.locationFile, `sourceLocation ${a.sourceLocation}`);
        for (const s of snapshotIncludes) assert.ok(a.domSnapshot.includes(s), `domSnapshot has ${s}`);
        assert.ok(a.anchor && typeof a.anchor === 'object', 'an anchor for the badge');
        if (!c.host) return;
        // The selector finds the component's element, and only it; its badge sits on it.
        const m = await selectorMatches(page, a.selector, page.locator(c.host));
        assert.deepEqual(m, { count: 1, isTarget: true }, `selector ${JSON.stringify(a.selector)}`);
        const b = badge(page, a.id);
        await b.waitFor({ state: 'visible', ...WAIT });
        const [bb, hb] = [await b.boundingBox(), await page.locator(c.host).boundingBox()];
        assert.ok(centreWithin(bb, hb), JSON.stringify({ badge: bb, host: hb }));
      });
    }

    if (row.hmr) {
      // `reload`: the dev server reloads the page on an edit (live reload, not
      // HMR): the reloaded page has the overlay again, connected, with its badges.
      const how = row.hmr.reload ? 'reloads the page (live reload); the overlay comes back'
        : 'hot-updates the page (no reload); the updated element is stamped and the overlay stays';
      it(`an edit ${how}, and the badges stay`, async () => {
        const { file, edit, changed, text, stamp, timeout = 20000, reload = false } = row.hmr;
        await visit('/');
        const before = row.cases.map((c, i) => !c.path && results[i]).filter(Boolean);
        assert.ok(before.length, 'annotations were made on the page');
        for (const a of before) await badge(page, a.id).waitFor({ state: 'visible', ...WAIT });
        await page.evaluate(() => { window.__notReloaded = true; });
        const restore = editFile(app.root, file, edit);
        try {
          await waitForEdit(restore, (t) => page.waitForFunction(([css, want]) => {
            const el = document.querySelector(css);
            return el && el.textContent.includes(want);
          }, [changed, text], { timeout: t }), { timeout });
          if (reload) await overlayReady(page, 60000);
          else assert.equal(await page.evaluate(() => window.__notReloaded), true, 'an HMR update, not a full reload');
          assert.equal(await page.evaluate(() => Boolean(window.__ngAnnotate && window.__ngAnnotate.connected)), true, 'overlay connected');
          const got = await locationOf(page.locator(changed));
          if (stamp) assert.equal(got, stamp);
          else assert.match(got || '', new RegExp(`^${file.replace(/[.]/g, '\\.')}:\\d+:\\d+$`));
          for (const a of before) await badge(page, a.id).waitFor({ state: 'visible', ...WAIT });
          await shot(page, `${row.app}-${row.label.replace(/\W+/g, '-')}-after-hmr`);
        } finally {
          restore();
        }
        await waitForRestore(restore, (t) => page.waitForFunction(([css, want]) => {
          const el = document.querySelector(css);
          return el && !el.textContent.includes(want);
        }, [changed, text], { timeout: t }), { timeout });
      });
    }

    if (row.drift) {
      it('drift: after an edit around the annotated component and a reload, its badge is on it or in the tray', async (t) => {
        const { file, edit, present, caseIndex } = row.drift;
        const a = results[caseIndex];
        assert.ok(a, 'its annotation was made');
        await visit('/');
        const ssr = /product-card/.test((await serverPage(page.url())).body);
        t.diagnostic(`${page.url()} is ${ssr ? 'server-rendered: the server renders the edit before the reload' : 'rendered in the browser'}`);
        const restore = editFile(app.root, file, edit);
        try {
          await waitForEdit(restore, (timeout) => page.waitForSelector(present, { timeout }));
          // A server-rendered page: the server renders the edit too before the
          // reload. React Router's dev server once answered every request
          // after three quick edits with "Element type is invalid … got:
          // undefined" (a module evaluated empty) until a file changed again:
          // written again every 3 s, as a user saves again.
          if (ssr) await waitForEdit(restore, (timeout) => serverRenders(page.url(), /class="drift\b/, timeout), { timeout: 30000 });
          await page.reload();
          await ready();
          await page.waitForSelector(present, WAIT);
          const b = badge(page, a.id);
          await b.waitFor({ state: 'visible', ...WAIT });
          await shot(page, `${row.app}-drift`);
          if (await trayBadge(page, a.id).count()) return; // unplaced: allowed
          const [bb, hb] = [await b.boundingBox(), await page.locator(row.cases[caseIndex].host).boundingBox()];
          assert.ok(centreWithin(bb, hb), `badge on its component: ${JSON.stringify({ badge: bb, host: hb })}`);
        } finally {
          restore();
        }
      });
    }

    if (row.build) {
      it('the app\'s own production build passes, with no stamp, props hook or overlay in its output', async () => {
        await stopApp(); // a dev server may hold the build's directories
        const { files, log = '' } = row.build(app.root);
        const writes = row.buildWrites ?? /\.m?js$/;
        assert.ok(Object.keys(files).some((f) => writes.test(f)), `the build wrote ${writes}:\n${log}`);
        for (const [name, body] of Object.entries(files)) {
          for (const mark of row.buildMarks ?? BUILD_MARKS) assert.ok(!body.includes(mark), `${name} contains ${mark}`);
        }
        assert.doesNotMatch(log, /ng-annotate/, 'nothing started for a build');
      });
    }
  });
}
