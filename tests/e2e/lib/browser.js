// Headless Chromium, `ng-annotate serve` on a chosen port, and a tiny page
// server for the overlay's end-to-end tests. Every wait has a deadline.
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { chromium } from 'playwright-core';
import { BIN, run } from '../../integration/lib/cli.js';
import { withDeadline, startServe } from '../../integration/lib/serve.js';

export { BIN, run, withDeadline };

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

// A browser closed when the test ends (whatever happened).
export async function launch(t) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  t.after(() => browser.close());
  return browser;
}

// `serve --root root --port port` (0 = any) with the roomier deadlines a
// loaded machine running Chromium needs; killed when the test ends.
export function serveAt(t, root, port = 0) {
  return startServe(t, { root, port, ms: 10000 });
}

// Serves pages from `pages` ({'/path': (ctx) => html}); ctx.port is the
// current serve port (settable). Closed when the test ends.
export async function pageServer(t, pages, ctx) {
  const server = createServer((req, res) => {
    const page = pages[new URL(req.url, 'http://x').pathname];
    if (!page) { res.writeHead(404).end(); return; }
    // A page may be a promise (a resource that answers late, to hold a page's load).
    Promise.resolve(page(ctx)).then((body) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }));
  return `http://127.0.0.1:${server.address().port}`;
}

export const overlayTag = (port) => `<script src="http://127.0.0.1:${port}/__annotate/client.js"></script>`;

export function writeFiles(root, files) {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

// The stored annotations, read by another process.
export function listStored(root) {
  const r = run(['list', '--json', '--root', root]);
  if (r.status !== 0) throw new Error(`list failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// Waits until the overlay on `page` is connected and has finished its handshake.
export function overlayReady(page, timeout = 15000) {
  return page.waitForFunction(() => window.__ngAnnotate && window.__ngAnnotate.connected, null, { timeout });
}

export const rgb = (hex) => {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
};

// The computed background colour of the badge of annotation `id`.
export function waitBadgeColour(page, id, hex, timeout = 10000) {
  return page.waitForFunction(([id, want]) => {
    const root = document.querySelector('ng-annotate-overlay').shadowRoot;
    const b = root.querySelector(`.badge[data-id="${id}"]`);
    return b && getComputedStyle(b).backgroundColor === want && getComputedStyle(b).display !== 'none';
  }, [id, rgb(hex)], { timeout });
}

// A fresh page (own context: own storage), or a new tab in `context`. With
// NG_ANNOTATE_OVERLAY_FILE set, client.js is answered from that file instead
// of the binary's embedded copy, and capture.js from the capture.js beside it
// (for iterating on the overlay without a rebuild: `node client/build.mjs`
// writes build/client.js and build/capture.js).
export async function newPage(browser, context) {
  context = context || await browser.newContext();
  const page = await context.newPage();
  const file = process.env.NG_ANNOTATE_OVERLAY_FILE;
  if (file) {
    const { readFileSync } = await import('node:fs');
    const { join, dirname } = await import('node:path');
    await page.route((url) => url.pathname.endsWith('/__annotate/client.js'), (route) =>
      route.fulfill({ contentType: 'text/javascript', body: readFileSync(file, 'utf8') }));
    await page.route((url) => url.pathname.endsWith('/__annotate/capture.js'), (route) =>
      route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(dirname(file), 'capture.js'), 'utf8') }));
  }
  page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
  return page;
}

// The overlay's shadow host, for locators (Playwright pierces open shadow roots).
export const overlay = (page) => page.locator('ng-annotate-overlay');
