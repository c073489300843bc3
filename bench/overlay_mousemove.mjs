// The overlay's mousemove cost in inspect mode (SPEC §8: under 1 ms median on a
// 5 000-element page). Measures, prints, asserts nothing.
//   node bench/overlay_mousemove.mjs [/abs/path/to/ng-annotate]
// Headless Chromium (/usr/bin/chromium or CHROMIUM_BIN) loads a fake Angular page of
// 5 000 elements (264 component hosts, dev-mode `window.ng` globals) plus the overlay
// served by `ng-annotate serve`; synthetic mousemoves hit random elements, each on a
// different target than the last, so every one walks to its component host and, most
// of the time, moves the highlight. Batches of 50 dispatches are timed with
// performance.now() (coarse alone); the per-event figure is batch time / 50.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = process.argv[2] || process.env.NG_ANNOTATE_BIN || join(repo, 'build/release/ng-annotate');
const root = mkdtempSync(join(tmpdir(), 'nga-bench-overlay-'));
const serve = spawn(BIN, ['serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
let browser;
let pages;
try {
  const { port } = await new Promise((ok, fail) => {
    createInterface({ input: serve.stdout }).once('line', (l) => ok(JSON.parse(l)));
    serve.once('exit', (code) => fail(new Error(`serve exited ${code}`)));
  });
  const page = `<!doctype html><html><head><meta charset="utf-8"></head><body><div id="app"></div><script>
    const app = document.getElementById('app');
    const components = new Map();
    class RowComponent { static ɵcmp = { selectors: [['app-row']], inputs: { label: 'label' } }; }
    class AppComponent { static ɵcmp = { selectors: [['app-root']], inputs: {} }; }
    components.set(app, new AppComponent());
    // 264 hosts x (1 host + 18 descendants) + wrappers = ~5 000 elements.
    for (let i = 0; i < 264; i++) {
      const row = document.createElement('app-row');
      const c = new RowComponent(); c.label = 'row ' + i; components.set(row, c);
      for (let j = 0; j < 6; j++) {
        const cell = document.createElement('div');
        const span = document.createElement('span'); span.textContent = 'cell ' + j;
        const b = document.createElement('b'); b.textContent = '!';
        span.append(b); cell.append(span); row.append(cell);
      }
      app.append(row);
    }
    window.ng = { getComponent: (el) => components.get(el) || null };
  </script><script src="http://127.0.0.1:${port}/__annotate/client.js"></script></body></html>`;
  pages = createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(page); });
  await new Promise((ok) => pages.listen(0, '127.0.0.1', ok));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const tab = await browser.newPage();
  if (process.env.NG_ANNOTATE_OVERLAY_FILE) { // iterate on client/src without a rebuild (node client/build.mjs)
    const { readFileSync } = await import('node:fs');
    await tab.route('**/__annotate/client.js', (route) => route.fulfill({
      contentType: 'text/javascript', body: readFileSync(process.env.NG_ANNOTATE_OVERLAY_FILE, 'utf8') }));
    await tab.route('**/__annotate/capture.js', (route) => route.fulfill({ contentType: 'text/javascript',
      body: readFileSync(join(dirname(process.env.NG_ANNOTATE_OVERLAY_FILE), 'capture.js'), 'utf8') }));
  }
  await tab.goto(`http://127.0.0.1:${pages.address().port}/`);
  await tab.waitForFunction(() => window.__ngAnnotate && window.__ngAnnotate.connected, null, { timeout: 15000 });
  // Hovering needs capture.js, which starting to inspect loads: here before the timing.
  // (An older overlay has no loadLazy: all of it came with client.js.)
  await tab.evaluate(() => (window.__ngAnnotate.loadLazy ? window.__ngAnnotate.loadLazy().then(() => true) : true));
  const result = await tab.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    const BATCH = 50, BATCHES = 200;
    const run = () => {
      const perEvent = [];
      let last = null;
      for (let b = 0; b < BATCHES; b++) {
        const targets = [];
        while (targets.length < BATCH) {
          const t = all[(Math.random() * all.length) | 0];
          if (t !== last) { targets.push(t); last = t; }
        }
        const t0 = performance.now();
        for (const t of targets) t.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, composed: true, clientX: 10, clientY: 10 }));
        perEvent.push((performance.now() - t0) / BATCH);
      }
      perEvent.sort((a, b) => a - b);
      return { median: perEvent[perEvent.length >> 1], p95: perEvent[Math.floor(perEvent.length * 0.95)] };
    };
    window.__ngAnnotate.inspect(false);
    const off = run();
    window.__ngAnnotate.inspect(true);
    const on = run();
    window.__ngAnnotate.inspect(false);
    return { elements: all.length, on, off };
  });
  const f = (x) => `${(x * 1000).toFixed(1)} µs`;
  console.log(`overlay mousemove, inspect on, ${result.elements} elements: median ${f(result.on.median)}/event, p95 ${f(result.on.p95)}/event ` +
    `(dispatch alone, inspect off: median ${f(result.off.median)}) — target < 1 ms median`);
} finally {
  await browser?.close();
  pages?.close();
  serve.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}
