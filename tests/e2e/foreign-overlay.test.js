// ng-annotate-mcp's overlay on the same page as ours (issue 21, item 9): its
// provideNgAnnotate() appends <nga-overlay> to the body while the app starts
// and opens its own session. Ours must then stay off: no second overlay, no
// second session, Alt+Shift+A left to the other one, one line in the console
// and one in the log of the server it came from.
//
// ng-annotate-mcp is not installable here, so the pages below do what its
// Angular package does to the DOM (append <nga-overlay> to document.body from
// the app's module script, at start-up or later); nothing else of it matters
// to this check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, serveAt, pageServer, newPage, overlayTag, run, overlayReady } from './lib/browser.js';

const WAIT = { timeout: 15000 };

function tempRoot(t) {
  const dir = mkdtempSync(join(tmpdir(), 'nga-e2e-'));
  t.after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
  return dir;
}

// The app: our overlay's tag in the head (as the integrations put it), the
// app's module script in the body, which adds the other overlay `when`:
// 'start' (during its bootstrap, as provideNgAnnotate does), 'late' (on a
// signal from the test, after ours has connected) or 'never'.
const appPage = (when) => ({ port }) => `<!doctype html><html><head><meta charset="utf-8">
${overlayTag(port)}</head><body><main><p class="target">hello</p></main>
<script>window.appKeys = []; window.addEventListener('keydown', (e) => window.appKeys.push(e.code));</script>
<script type="module">
  const addForeign = () => document.body.appendChild(document.createElement('nga-overlay'));
  ${when === 'start' ? 'addForeign();' : ''}
  window.addForeign = addForeign;
</script></body></html>`;

function sessions(root) {
  const r = run(['export', '--root', root]);
  assert.equal(r.status, 0, r.stderr);
  return Object.values(JSON.parse(r.stdout).sessions);
}

async function setup(t) {
  const root = tempRoot(t);
  const ctx = {};
  ctx.server = await serveAt(t, root);
  ctx.port = ctx.server.port;
  const base = await pageServer(t, { '/start': appPage('start'), '/late': appPage('late'), '/never': appPage('never') }, ctx);
  const browser = await launch(t);
  return { root, base, browser, server: ctx.server };
}

function consoleLines(page) {
  const lines = [];
  page.on('console', (m) => lines.push(m.text()));
  return lines;
}

test('ng-annotate-mcp overlay added at app start: ours never mounts nor connects, Alt+Shift+A is left to it', async (t) => {
  const { root, base, browser, server } = await setup(t);
  const page = await newPage(browser);
  const lines = consoleLines(page);
  await page.goto(`${base}/start`);
  await page.waitForFunction(() => window.__ngAnnotate && window.__ngAnnotate.state.aside, null, WAIT);

  assert.equal(await page.locator('ng-annotate-overlay').count(), 0, 'our overlay is still on the page');
  assert.equal(await page.locator('nga-overlay').count(), 1);
  await page.keyboard.press('Alt+Shift+KeyA');
  assert.deepEqual(await page.evaluate(() => window.appKeys.slice(-1)), ['KeyA'], 'Alt+Shift+A did not reach the page');
  assert.equal(await page.evaluate(() => window.__ngAnnotate.state.inspecting), false);
  // Give a wrong connect every chance to happen, then check nothing did.
  await page.waitForTimeout(1500);
  assert.equal(await page.evaluate(() => window.__ngAnnotate.connected), false);
  assert.deepEqual(sessions(root), [], 'our overlay opened a session');
  const said = lines.filter((l) => l.includes("ng-annotate-mcp's overlay"));
  assert.equal(said.length, 1, lines.join('\n'));
  // The daemon the overlay came from (here on another origin) logs the page.
  const deadline = Date.now() + 10000;
  const told = () => server.stderr().includes(`${base}/start runs ng-annotate-mcp's overlay`);
  while (!told() && Date.now() < deadline) await page.waitForTimeout(100);
  assert.ok(told(), server.stderr());
});

test('ng-annotate-mcp overlay added later: ours steps aside, its session goes inactive', async (t) => {
  const { root, base, browser } = await setup(t);
  const page = await newPage(browser);
  const lines = consoleLines(page);
  await page.goto(`${base}/late`);
  await overlayReady(page);
  assert.equal(sessions(root).length, 1);

  await page.evaluate(() => window.addForeign());
  await page.waitForFunction(() => window.__ngAnnotate.state.aside && !window.__ngAnnotate.connected, null, WAIT);
  assert.equal(await page.locator('ng-annotate-overlay').count(), 0);
  const deadline = Date.now() + 10000;
  while (sessions(root)[0].active && Date.now() < deadline) await page.waitForTimeout(100);
  assert.equal(sessions(root)[0].active, false, 'our session stayed active');
  await page.keyboard.press('Alt+Shift+KeyA');
  assert.equal(await page.evaluate(() => window.__ngAnnotate.state.inspecting), false);
  assert.equal(lines.filter((l) => l.includes("ng-annotate-mcp's overlay")).length, 1, lines.join('\n'));
});

test('without ng-annotate-mcp overlay ours connects as before', async (t) => {
  const { root, base, browser } = await setup(t);
  const page = await newPage(browser);
  await page.goto(`${base}/never`);
  await overlayReady(page);
  assert.equal(await page.locator('ng-annotate-overlay').count(), 1);
  assert.equal(await page.evaluate(() => window.__ngAnnotate.state.aside), false);
  assert.equal(sessions(root).length, 1);
});
