// The overlay's badge repositioning with 300 badges (SPEC §8: kept in place on
// scroll, resize and DOM changes, throttled to animation frames). Measures,
// prints, asserts nothing.
//   node bench/overlay_badges.mjs [/abs/path/to/ng-annotate]
// Headless Chromium loads a page of 300 cards (plus filler, ~3 000 elements)
// with the overlay served by `ng-annotate serve`; a socket of the page's own
// session creates one annotation per card, each anchored to its card. Then,
// per figure, 200 rounds of: change something, run one badge layout
// synchronously (__ngAnnotate.layoutNow), timed with performance.now():
//   scroll: window.scrollBy (layout reads 300 boxes and moves 300 badges);
//   dom: a text node changes (a DOM change: every anchor is re-validated);
//   resize: the viewport alternates between two widths (Playwright), 50 rounds.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const N = 300;
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = process.argv[2] || process.env.NG_ANNOTATE_BIN || join(repo, 'build/release/ng-annotate');
const root = mkdtempSync(join(tmpdir(), 'nga-bench-badges-'));
const serve = spawn(BIN, ['serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
let browser;
let pages;
try {
  const { port } = await new Promise((ok, fail) => {
    createInterface({ input: serve.stdout }).once('line', (l) => ok(JSON.parse(l)));
    serve.once('exit', (code) => fail(new Error(`serve exited ${code}`)));
  });
  const cards = Array.from({ length: N }, (_, i) =>
    `<div class="card"><h3>Card ${i}</h3><p>text <b>${i}</b> <i>more</i></p><ul><li>a</li><li>b</li><li>c</li></ul></div>`).join('');
  const page = `<!doctype html><html><head><meta charset="utf-8"><style>.card{margin:8px;padding:4px;border:1px solid #ccc;width:200px;display:inline-block;vertical-align:top}</style></head>
    <body><main id="app">${cards}</main><span id="tick">0</span>
    <script src="http://127.0.0.1:${port}/__annotate/client.js"></script></body></html>`;
  pages = createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(page); });
  await new Promise((ok) => pages.listen(0, '127.0.0.1', ok));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const tab = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  if (process.env.NG_ANNOTATE_OVERLAY_FILE) { // iterate on client/src without a rebuild (node client/build.mjs)
    await tab.route((u) => u.pathname.endsWith('/__annotate/client.js'), (route) => route.fulfill({
      contentType: 'text/javascript', body: readFileSync(process.env.NG_ANNOTATE_OVERLAY_FILE, 'utf8') }));
  }
  await tab.goto(`http://127.0.0.1:${pages.address().port}/`);
  await tab.waitForFunction(() => window.__ngAnnotate && window.__ngAnnotate.connected, null, { timeout: 15000 });
  await tab.evaluate(({ port, n }) => new Promise((done, fail) => {
    const sid = window.__ngAnnotate.state.session.id;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/__annotate?sessionId=${sid}`);
    let created = 0;
    setTimeout(() => fail(new Error(`only ${created} of ${n} created in 30 s`)), 30000);
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.type === 'annotations:sync' && created === 0) {
        document.querySelectorAll('.card').forEach((card, i) => ws.send(JSON.stringify({
          type: 'annotation:create',
          payload: {
            componentName: 'div', annotationText: `card ${i}`, selector: `.card:nth-of-type(${i + 1})`,
            elementPath: `main#app > div:nth-of-type(${i + 1})`, framework: 'html',
            anchor: { tag: 'div', text: card.textContent.replace(/\s+/g, ' ').trim().slice(0, 64) },
          },
        })));
      }
      if (m.type === 'annotation:created' && ++created === n) { ws.close(); done(); }
    };
  }), { port, n: N });
  await tab.waitForFunction((n) => document.querySelector('ng-annotate-overlay').shadowRoot
    .querySelectorAll('.badges .badge[data-placed="true"]').length === n, N, { timeout: 30000 });

  const timed = (what) => tab.evaluate((what) => {
    const samples = [];
    for (let i = 0; i < 200; i++) {
      if (what === 'scroll') window.scrollBy(0, i % 2 ? -37 : 41);
      else document.getElementById('tick').textContent = String(i);
      const t0 = performance.now();
      window.__ngAnnotate.layoutNow(what === 'dom');
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    return { median: samples[100], p95: samples[190] };
  }, what);
  const scroll = await timed('scroll');
  const dom = await timed('dom');
  const resize = [];
  for (let i = 0; i < 50; i++) {
    await tab.setViewportSize({ width: i % 2 ? 1280 : 1000, height: 800 });
    resize.push(await tab.evaluate(() => { const t0 = performance.now(); window.__ngAnnotate.layoutNow(false); return performance.now() - t0; }));
  }
  resize.sort((a, b) => a - b);
  const f = (x) => `${x.toFixed(2)} ms`;
  console.log(`overlay badge layout, ${N} badges: scroll median ${f(scroll.median)} (p95 ${f(scroll.p95)}), ` +
    `DOM change median ${f(dom.median)} (p95 ${f(dom.p95)}), resize median ${f(resize[25])} per layout — at most one per animation frame`);
} finally {
  await browser?.close();
  pages?.close();
  serve.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}
