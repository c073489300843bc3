// The overlay's first-load bytes (issue 18: unchanged while it grows): the
// script bytes a page fetches from /__annotate/ until its load event and the
// overlay's connection, and what it fetches after that (at idle, or on first
// use: capture.js), for this binary and a baseline binary side by side.
// Measures, prints, asserts nothing.
//   node bench/overlay_first_load.mjs [/abs/path/to/ng-annotate] [/abs/path/to/baseline]
// Baseline: argv[3], else NG_ANNOTATE_BASELINE_BIN, else /work/old-bin/ng-annotate
// when it exists (the binary built from main before this round); none: this
// binary alone. Bytes are response bodies (uncompressed: the daemon does not
// compress), counted in headless Chromium.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const TARGET = 74435; // client.js at the start of the round that added the page log (issue 18)
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = process.argv[2] || process.env.NG_ANNOTATE_BIN || join(repo, 'build/release/ng-annotate');
const BASE = process.argv[3] || process.env.NG_ANNOTATE_BASELINE_BIN ||
  (existsSync('/work/old-bin/ng-annotate') ? '/work/old-bin/ng-annotate' : '');

async function measure(browser, bin) {
  const root = mkdtempSync(join(tmpdir(), 'nga-bench-first-load-'));
  const serve = spawn(bin, ['serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let pages;
  let context;
  try {
    const { port } = await new Promise((ok, fail) => {
      createInterface({ input: serve.stdout }).once('line', (l) => ok(JSON.parse(l)));
      serve.once('exit', (code) => fail(new Error(`${bin} serve exited ${code}`)));
    });
    const html = `<!doctype html><html><head><meta charset="utf-8"></head><body><main><div class="card">card</div></main>
      <script src="http://127.0.0.1:${port}/__annotate/client.js"></script></body></html>`;
    pages = createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(html); });
    await new Promise((ok) => pages.listen(0, '127.0.0.1', ok));
    context = await browser.newContext();
    const tab = await context.newPage();
    const seen = []; // {path, start (epoch ms), bytes}
    tab.on('requestfinished', async (request) => {
      const path = new URL(request.url()).pathname;
      if (!path.startsWith('/__annotate/') || !path.endsWith('.js')) return;
      const response = await request.response();
      const body = response ? await response.body().catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
      seen.push({ path: path.slice('/__annotate/'.length), start: request.timing().startTime, bytes: body.length });
    });
    await tab.goto(`http://127.0.0.1:${pages.address().port}/`);
    await tab.waitForFunction(() => window.__ngAnnotate && window.__ngAnnotate.connected, null, { timeout: 15000 });
    const loadEnd = await tab.evaluate(() => performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventEnd);
    // Then first use, and time for the idle fetch of a newer overlay.
    await tab.evaluate(() => window.__ngAnnotate.inspect(true));
    await tab.evaluate(() => (window.__ngAnnotate.loadLazy ? window.__ngAnnotate.loadLazy().then(() => true) : true));
    await tab.waitForTimeout(500);
    const bytes = { load: 0, after: 0 };
    const names = { load: [], after: [] };
    for (const r of seen) {
      const phase = r.start <= loadEnd ? 'load' : 'after';
      bytes[phase] += r.bytes;
      names[phase].push(r.path);
    }
    return { bytes, names };
  } finally {
    await context?.close();
    pages?.close();
    if (serve.exitCode === null) {
      const gone = new Promise((ok) => serve.once('exit', ok));
      serve.kill('SIGTERM');
      await Promise.race([gone, new Promise((ok) => setTimeout(ok, 5000))]);
    }
    rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const n = (x) => x.toLocaleString('en-US').replace(/,/g, ' ');
  const now = await measure(browser, BIN);
  const base = BASE ? await measure(browser, BASE) : null;
  const list = (r, p) => r.names[p].join(' + ') || 'nothing';
  console.log(`overlay first load: ${n(now.bytes.load)} bytes (${list(now, 'load')})` +
    (base ? `, baseline ${n(base.bytes.load)} (${list(base, 'load')})` : '') +
    ` — target ≤ ${n(TARGET)} (unchanged)`);
  console.log(`overlay after the load event (idle prefetch or first use): + ${n(now.bytes.after)} bytes (${list(now, 'after')})` +
    (base ? `, baseline + ${n(base.bytes.after)} (${list(base, 'after')})` : ''));
} finally {
  await browser.close();
}
