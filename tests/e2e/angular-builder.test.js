// The Angular demo (examples/angular-demo, a real `ng new` app) served by
// `ng serve` through @ng-annotate/angular:dev-server, in headless Chromium:
// the overlay is there and connected through ng serve's own origin, an
// annotation sent over ws://<ng serve>/__annotate reaches the store, a source
// edit still hot-updates the page, another origin is refused, and the daemon
// the builder started stops with ng serve. One ng serve for the whole file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { launch, newPage, overlayReady, listStored } from './lib/browser.js';
import { DEMO, copyApp, nodeFor, ngServe, get, assertDaemonStopsWithServe } from '../integration/lib/ng.js';

const cleanups = [];
let dir;
let server;

before(async () => {
  dir = copyApp(DEMO, (fn) => cleanups.push(fn));
  server = await ngServe(dir, { node: nodeFor(DEMO) });
});

after(async () => {
  await server?.stop();
  for (const fn of cleanups.reverse()) fn();
});

const WAIT = { timeout: 60000 };

test('the served index carries the overlay tag; /__annotate/* HTTP is answered by the daemon through ng serve', async () => {
  const index = await get(`${server.url}/`);
  assert.equal(index.status, 200);
  assert.match(index.body, /<script src="\/__annotate\/client\.js"><\/script>\s*<\/head>/);
  assert.match(index.body, /<app-root><\/app-root>/);
  const health = await get(`${server.url}/__annotate/health`);
  assert.equal(health.status, 200, health.body);
  assert.equal(JSON.parse(health.body).root, dir);
  const client = await get(`${server.url}/__annotate/client.js`);
  assert.equal(client.status, 200);
  assert.match(client.headers.get('content-type'), /javascript/);
  // Angular's own files are still Angular's.
  assert.match((await get(`${server.url}/main.js`)).body, /bootstrapApplication|ɵɵdefineComponent/);
});

// Regression (issue 21, item 9): ng-annotate-mcp's overlay, unmodified, names a
// component by `instance.constructor.name` and looks its files up in the
// manifest its socket (no proto: revision 1) was sent; Angular's dev build
// spells that name `_PromoCard`, which used to show `(unresolved: _PromoCard)`.
test("in Chromium: ng-annotate-mcp's lookup (constructor.name in manifest:update) resolves every component's file", async (t) => {
  const browser = await launch(t);
  const page = await newPage(browser);
  await page.goto(`${server.url}/`);
  await page.locator('app-promo-card .promo-title').waitFor(WAIT);
  const found = await page.evaluate(() => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no manifest:update within 20 s')), 20000);
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/__annotate`);
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.type !== 'manifest:update') return;
      clearTimeout(timer);
      ws.close();
      // As its InspectorService does, for every component host on the page.
      const names = new Set();
      for (const el of document.querySelectorAll('*')) {
        const comp = window.ng.getComponent(el);
        if (comp) names.add(comp.constructor.name);
      }
      resolve([...names].map((name) => [name, m.manifest[name] ? m.manifest[name].component : `(unresolved: ${name})`]));
    };
    ws.onerror = () => reject(new Error('socket error'));
  }));
  const files = Object.fromEntries(found);
  assert.ok(Object.keys(files).some((name) => name.startsWith('_')), `dev build class names: ${Object.keys(files).join(', ')}`);
  const promo = Object.keys(files).find((name) => name.replace(/^_+/, '') === 'PromoCard');
  assert.equal(files[promo], 'src/app/promo-card/promo-card.ts');
  for (const [name, file] of found) assert.doesNotMatch(file, /unresolved/, `${name} -> ${file}`);
});

test('in Chromium: the app renders, the overlay connects through ng serve, an annotation reaches the store, an edit hot-updates the page', async (t) => {
  const browser = await launch(t);
  const page = await newPage(browser);
  await page.goto(`${server.url}/`);
  await page.locator('app-promo-card .promo-title').waitFor(WAIT);
  await overlayReady(page, 60000);
  assert.equal(await page.locator('ng-annotate-overlay').count(), 1);

  // A socket opened by the page itself: the browser's own Origin, ng serve's host.
  const created = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://${location.host}/__annotate?sessionId=e2e-angular`);
        const timer = setTimeout(() => reject(new Error('no annotation:created within 20 s')), 20000);
        ws.onmessage = (e) => {
          const m = JSON.parse(e.data);
          if (m.type === 'session:created') {
            ws.send(JSON.stringify({
              type: 'annotation:create',
              payload: {
                componentName: 'PromoCard', componentFilePath: 'src/app/promo-card/promo-card.ts', selector: 'app-promo-card',
                inputs: {}, domSnapshot: document.querySelector('app-promo-card').outerHTML.slice(0, 500),
                componentTreePath: ['App'], annotationText: 'fix the typo in the heading',
              },
            }));
          }
          if (m.type === 'annotation:created') {
            clearTimeout(timer);
            ws.close();
            resolve(m.annotation);
          }
        };
        ws.onerror = () => reject(new Error('the socket failed'));
      }),
  );
  const stored = listStored(dir);
  const mine = stored.find((a) => a.id === created.id);
  assert.ok(mine, JSON.stringify(stored));
  assert.equal(mine.annotationText, 'fix the typo in the heading');
  assert.equal(mine.componentName, 'PromoCard');

  // A template edit: Angular's HMR (or live reload) socket still works beside ours.
  await page.evaluate(() => (window.__beforeEdit = true));
  const html = join(dir, 'src/app/promo-card/promo-card.html');
  writeFileSync(html, readFileSync(html, 'utf8').replace('Sumer sale', 'Summer sale'));
  await page.waitForFunction(
    () => document.querySelector('app-promo-card .promo-title')?.textContent.includes('Summer sale'),
    null,
    { timeout: 120000 },
  );
  const how = await page.evaluate(() => (window.__beforeEdit ? 'hot update' : 'reload'));
  console.log(`# the edit reached the page by ${how}`);
  await overlayReady(page, 60000);
});

test('the daemon accepts this dev server\'s origin only', async () => {
  const url = `ws://127.0.0.1:${server.port}/__annotate?sessionId=origin-check`;
  const attempt = (origin) =>
    new Promise((resolve) => {
      const ws = new WebSocket(url, { headers: { Origin: origin } });
      const timer = setTimeout(() => {
        ws.terminate();
        resolve('timeout');
      }, 20000);
      ws.once('open', () => {
        clearTimeout(timer);
        ws.close();
        resolve(101);
      });
      ws.once('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        resolve(res.statusCode);
      });
      ws.once('error', () => {});
    });
  assert.equal(await attempt(`http://localhost:${server.port}`), 101);
  assert.equal(await attempt('http://localhost:1'), 403);
});

test('ng serve ending stops the daemon it started and removes daemon.json', async () => {
  await assertDaemonStopsWithServe(server, dir);
});
