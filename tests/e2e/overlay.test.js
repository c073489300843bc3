// The overlay (SPEC §8) in headless Chromium against the real `serve`,
// with the agent side played by `ng-annotate mcp` through the MCP SDK client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  launch, serveAt, pageServer, listStored, overlayReady, waitBadgeColour, newPage, overlay, rgb,
} from './lib/browser.js';
import { plainPage } from './lib/pages.js';
import { connect as mcpConnect, call } from '../integration/lib/mcp.js';
import { connectHttp } from '../integration/lib/mcp-http.js';
import { startServe, withDeadline } from '../integration/lib/serve.js';
import { useCluster } from '../integration/lib/pg.js';

const WAIT = { timeout: 15000 };

function tempRoot(t) {
  const dir = mkdtempSync(join(tmpdir(), 'nga-e2e-'));
  t.after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
  return dir;
}

// serve, the page server, a browser. Framework adapters are tested on the
// real apps of examples/ (tests/e2e/<framework>-app.test.js), not here.
async function setup(t) {
  const root = tempRoot(t);
  const ctx = {};
  ctx.server = await serveAt(t, root);
  ctx.port = ctx.server.port;
  const base = await pageServer(t, { '/plain': plainPage }, ctx);
  const browser = await launch(t);
  return { root, ctx, base, browser };
}

async function openReady(browser, url) {
  const page = await newPage(browser);
  await page.goto(url);
  await overlayReady(page);
  return page;
}

// Waits for the overlay to know `count` annotations; returns the newest.
async function waitAnnotations(page, count, timeout = 15000) {
  await page.waitForFunction((n) => window.__ngAnnotate.state.annotations.size === n, count, { timeout });
  return page.evaluate(() => [...window.__ngAnnotate.state.annotations.values()].pop());
}

// Inspect on, click the page's target paragraph, type `text` and submit with `keys`.
async function annotateTarget(page, text, keys = 'Shift+Enter') {
  await page.keyboard.press('Alt+Shift+KeyA');
  await page.waitForFunction(() => window.__ngAnnotate.state.inspecting, null, WAIT);
  await page.locator('p.target').click();
  const area = overlay(page).locator('.panel[data-mode="annotate"] textarea');
  await area.fill(text);
  await area.press(keys);
}

// Selects the text of the element matching `selector` in the app.
function selectText(page, selector) {
  return page.evaluate((sel) => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector(sel));
    const s = window.getSelection();
    s.removeAllRanges();
    s.addRange(range);
  }, selector);
}

test('inspect, hover highlight, click opens the panel without the app seeing it; submit stores the context', async (t) => {
  const { root, base, browser } = await setup(t);
  const page = await openReady(browser, `${base}/plain`);

  await selectText(page, 'p.target');
  await page.keyboard.press('Alt+Shift+KeyA');
  await page.waitForFunction(() => window.__ngAnnotate.state.inspecting, null, WAIT);

  const target = page.locator('p.target');
  await target.hover();
  const label = overlay(page).locator('.hl-label');
  await label.waitFor({ state: 'visible', ...WAIT });
  assert.match(await label.textContent(), /^p\b/);
  // No framework: the highlight is the hovered element's own box.
  const [hlBox, elBox] = await Promise.all([overlay(page).locator('.hl').boundingBox(), target.boundingBox()]);
  assert.ok(Math.abs(hlBox.x - elBox.x) < 1 && Math.abs(hlBox.width - elBox.width) < 1, JSON.stringify({ hlBox, elBox }));

  await target.click();
  const panel = overlay(page).locator('.panel[data-mode="annotate"]');
  await panel.waitFor({ state: 'visible', ...WAIT });
  assert.equal(await page.evaluate(() => window.appClicks), 0, 'the app saw the inspect click');
  assert.match(await panel.textContent(), /second paragraph/);

  const area = panel.locator('textarea');
  await area.fill('make the second paragraph red');
  await area.press('Control+Enter');
  const created = await waitAnnotations(page, 1);

  const [stored] = listStored(root);
  assert.equal(stored.id, created.id);
  assert.equal(stored.status, 'pending');
  assert.equal(stored.framework, 'html');
  assert.equal(stored.componentName, 'p');
  assert.equal(stored.selectionText, 'second paragraph');
  assert.equal(stored.annotationText, 'make the second paragraph red');
  assert.equal(stored.pageUrl, `${base}/plain`);
  assert.match(stored.domSnapshot, /^<p class="target">second paragraph<\/p>/);
  assert.equal(stored.elementPath, 'body > main > section > p:nth-of-type(2)');
  assert.ok(stored.viewport.width > 0 && stored.boundingBox.width > 0);

  // The badge sits on its element, coloured pending.
  await waitBadgeColour(page, created.id, '#3b82f6');
  const badgeBox = await overlay(page).locator(`.badge[data-id="${created.id}"]`).boundingBox();
  assert.ok(badgeBox.y >= elBox.y - 12 && badgeBox.y <= elBox.y + elBox.height, JSON.stringify({ badgeBox, elBox }));
  assert.equal(await page.evaluate(() => window.appClicks), 0);
});

test('shortcuts do not fire while typing in an app field, and other shortcuts are left to the app', async (t) => {
  const { base, browser } = await setup(t);
  const page = await openReady(browser, `${base}/plain`);

  await page.locator('#app-field').focus();
  await page.keyboard.press('Alt+Shift+KeyA');
  await page.keyboard.press('Alt+Shift+KeyH');
  await page.keyboard.press('Alt+Shift+KeyX');
  // The app saw all three keys, none prevented; the overlay did nothing.
  const seen = await page.evaluate(() => window.appKeys.filter((k) => /^Key/.test(k.code)));
  assert.deepEqual(seen.map((k) => [k.code, k.prevented]), [['KeyA', false], ['KeyH', false], ['KeyX', false]]);
  assert.equal(await page.evaluate(() => window.__ngAnnotate.state.inspecting), false);
  assert.equal(await page.evaluate(() => window.__ngAnnotate.state.hidden), false);

  await page.locator('#app-field').blur();
  await page.keyboard.press('Alt+Shift+KeyB'); // not ours: reaches the app untouched
  const last = await page.evaluate(() => window.appKeys.at(-1));
  assert.deepEqual([last.code, last.prevented], ['KeyB', false]);

  await page.keyboard.press('Alt+Shift+KeyA');
  await page.waitForFunction(() => window.__ngAnnotate.state.inspecting, null, WAIT);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !window.__ngAnnotate.state.inspecting, null, WAIT);
  await page.keyboard.press('Alt+Shift+KeyH');
  await page.waitForFunction(() => window.__ngAnnotate.state.hidden, null, WAIT);
  assert.equal(await overlay(page).evaluate((el) => getComputedStyle(el).display), 'none');
});

// Where the browser and the agent meet. One `serve` on the project's SQLite
// file with the agent on `ng-annotate mcp`; or two `serve` instances on one
// PostgreSQL database (issue 19), the page on one and the agent on the other
// (its /mcp), or on an `mcp --store` process of its own. Each row: {name,
// async start(t) -> {front: the instance the page loads the overlay from,
// agent(t): an MCP SDK client}}.
const cluster = useCluster({ lazy: true });
const onPostgres = async (t) => {
  const args = ['--store', await cluster.ready(), '--project', cluster.project()];
  const a = await startServe(t, { args, ms: 10000 });
  const b = await startServe(t, { args, ms: 10000 });
  return { a, b, args };
};
const MEETINGS = [
  {
    name: 'one serve on SQLite, the agent on `mcp`',
    async start(t) {
      const root = tempRoot(t);
      const front = await serveAt(t, root);
      return { front, agent: (t) => mcpConnect(t, root, 'e2e-agent') };
    },
  },
  {
    name: 'PostgreSQL: the page on instance A, the agent on B\'s /mcp',
    async start(t) {
      const { a, b } = await onPostgres(t);
      return { front: a, agent: async (t) => (await connectHttp(t, b.port, 'e2e-agent-b')).client };
    },
  },
  {
    name: 'PostgreSQL: the page on instance B, the agent on A\'s /mcp',
    async start(t) {
      const { a, b } = await onPostgres(t);
      return { front: b, agent: async (t) => (await connectHttp(t, a.port, 'e2e-agent-a')).client };
    },
  },
  {
    name: 'PostgreSQL: the page on instance A, the agent on `mcp --store`',
    async start(t) {
      const { a, args } = await onPostgres(t);
      return { front: a, agent: (t) => mcpConnect(t, tempRoot(t), 'e2e-agent-stdio', args) };
    },
  },
];

// The session's `active` as the agent sees it, once it equals `want` (bounded).
async function waitSessionActive(agent, id, want, timeout = 15000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const { value } = await call(agent, 'list_sessions');
    const session = value.sessions.find((s) => s.id === id);
    if (session && session.active === want) return session;
    if (Date.now() > deadline) throw new Error(`session ${id} not active=${want} within ${timeout} ms: ${JSON.stringify(session)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

for (const meeting of MEETINGS) {
  test(`agent status changes recolour the badge live; the diff panel Apply sends diff:approved (${meeting.name})`, async (t) => {
    const { front, agent: connectAgent } = await meeting.start(t);
    const ctx = { port: front.port };
    const base = await pageServer(t, { '/plain': plainPage }, ctx);
    const browser = await launch(t);
    const page = await openReady(browser, `${base}/plain`);
    const sessionId = await page.evaluate(() => sessionStorage.getItem('ng-annotate:sessionId'));

    // The agent waits first: the browser's create wakes it, wherever each is.
    const agent = await connectAgent(t);
    const watching = call(agent, 'watch_annotations', { timeoutMs: 20000 });
    await agent.ping();
    await annotateTarget(page, 'reword this');
    const { id } = await waitAnnotations(page, 1);
    await waitBadgeColour(page, id, '#3b82f6');
    const { value: work } = await withDeadline(watching, 'the agent\'s watch_annotations to wake', 15000);
    assert.equal(work.status, 'annotations');
    assert.deepEqual(work.annotations.map((a) => [a.id, a.sessionId]), [[id, sessionId]]);
    // The page's session, on whichever instance holds its socket, is active for the agent.
    await waitSessionActive(agent, sessionId, true);

    assert.ok(!(await call(agent, 'acknowledge', { id, message: 'on it' })).result.isError);
    await waitBadgeColour(page, id, '#f59e0b');

    const diff = '--- a/src/app/item.component.html\n+++ b/src/app/item.component.html\n@@ -1 +1 @@\n-<span>{{ label }}</span>\n+<b>{{ label }}</b>\n';
    assert.ok(!(await call(agent, 'propose_diff', { id, diff })).result.isError);
    await waitBadgeColour(page, id, '#8b5cf6');

    await overlay(page).locator(`.badge[data-id="${id}"]`).click();
    const panel = overlay(page).locator('.panel[data-mode="diff"]');
    await panel.waitFor({ state: 'visible', ...WAIT });
    const added = panel.locator('pre.diff span.add');
    assert.equal(await added.textContent(), '+<b>{{ label }}</b>');
    assert.equal(await added.evaluate((el) => getComputedStyle(el).color), rgb('#86efac'));
    assert.equal(await page.evaluate(() => window.appClicks), 0);

    await panel.locator('button[data-action="apply"]').click();
    const watched = await call(agent, 'watch_diff_response', { id, timeoutMs: 10000 });
    assert.equal(watched.value.status, 'approved');

    assert.ok(!(await call(agent, 'resolve', { id, summary: 'done' })).result.isError);
    await waitBadgeColour(page, id, '#22c55e');
    // The agent's reply shows up in the thread.
    await overlay(page).locator(`.badge[data-id="${id}"]`).click();
    const thread = overlay(page).locator('.panel[data-mode="thread"]');
    await thread.waitFor({ state: 'visible', ...WAIT });
    await page.waitForFunction(() => /Agent: done/.test(document.querySelector('ng-annotate-overlay').shadowRoot
      .querySelector('.panel[data-mode="thread"]')?.textContent), null, WAIT).catch(async (err) => {
      throw new Error(`${err.message}; thread: ${await thread.textContent()}`);
    });

    // The agent's heartbeat, recorded wherever it called, reaches the page's
    // instance: in its health and in the sync a reloaded page gets.
    const health = await (await fetch(`http://127.0.0.1:${front.port}/__annotate/health`)).json();
    assert.ok(Date.parse(health.lastAgentHeartbeat) > Date.now() - 60000, JSON.stringify(health));
    await page.reload();
    await overlayReady(page);
    await page.waitForFunction(() => window.__ngAnnotate.state.heartbeat, null, WAIT);
    await waitBadgeColour(page, id, '#22c55e');
    // The tab closed: its session goes inactive for the agent too.
    await page.close();
    await waitSessionActive(agent, sessionId, false);
  });
}

test('a layout writes only what changed: none on a repeat, the position after a scroll', async (t) => {
  const { base, browser } = await setup(t);
  const page = await openReady(browser, `${base}/plain`);
  await page.evaluate(() => { document.body.style.minHeight = '3000px'; });
  await annotateTarget(page, 'only what changed');
  const { id } = await waitAnnotations(page, 1);
  await waitBadgeColour(page, id, '#3b82f6');

  // Mutations inside the overlay's badge layer during synchronous layouts.
  const mutations = (scrollBy) => page.evaluate(async ([key, dy]) => {
    const layer = document.querySelector('ng-annotate-overlay').shadowRoot.querySelector('.badges');
    const badge = layer.querySelector(`.badge[data-id="${key}"]`);
    const before = badge.style.top;
    const observer = new MutationObserver(() => {});
    observer.observe(layer, { subtree: true, childList: true, attributes: true, characterData: true });
    if (dy) window.scrollBy(0, dy);
    window.__ngAnnotate.layoutNow(false);
    window.__ngAnnotate.layoutNow(false);
    const records = observer.takeRecords().map((r) => `${r.type}:${r.attributeName ?? ''}`);
    observer.disconnect();
    return { records, before, after: badge.style.top };
  }, [id, scrollBy]);

  await page.evaluate(() => window.__ngAnnotate.layoutNow(false));  // settle what is queued
  const still = await mutations(0);
  assert.deepEqual(still.records, [], 'a repeated layout changed the badges');
  assert.equal(still.after, still.before);

  const moved = await mutations(30);
  assert.deepEqual(moved.records, ['attributes:style'], JSON.stringify(moved));
  assert.equal(parseFloat(moved.after), parseFloat(moved.before) - 30);
});

test('a submission made while the server is down is delivered when it comes back', async (t) => {
  const { root, ctx, base, browser } = await setup(t);
  const page = await openReady(browser, `${base}/plain`);
  const sessionId = await page.evaluate(() => sessionStorage.getItem('ng-annotate:sessionId'));
  assert.match(sessionId, /^[0-9a-f-]{36}$/);
  // The rest of the overlay (capture.js) comes when the page is idle after connecting and loading.
  await page.waitForFunction(() => window.__ngAnnotate.lazyLoaded, null, WAIT);

  await ctx.server.stop();
  await page.waitForFunction(() => !window.__ngAnnotate.connected, null, WAIT);

  await annotateTarget(page, 'reword this paragraph', 'Control+Enter');
  await page.waitForFunction(() => window.__ngAnnotate.queued() === 1, null, WAIT);

  ctx.server = await serveAt(t, root, ctx.port);
  const created = await waitAnnotations(page, 1, 30000);
  const stored = listStored(root);
  assert.equal(stored.length, 1);
  assert.equal(stored[0].id, created.id);
  assert.equal(stored[0].sessionId, sessionId, 'the session survived the reconnect');
  assert.equal(stored[0].annotationText, 'reword this paragraph');
  assert.equal(stored[0].framework, 'html');
  assert.equal(stored[0].elementPath, 'body > main > section > p:nth-of-type(2)');
  await waitBadgeColour(page, created.id, '#3b82f6');
  assert.equal(await page.evaluate(() => window.__ngAnnotate.queued()), 0);
});

test('badges re-attach after a reload; clear removes them', async (t) => {
  const { base, browser } = await setup(t);
  const page = await openReady(browser, `${base}/plain`);
  await annotateTarget(page, 'this paragraph', 'Control+Enter');
  const { id } = await waitAnnotations(page, 1);

  await page.reload();
  await overlayReady(page);
  await waitAnnotations(page, 1);
  await waitBadgeColour(page, id, '#3b82f6');
  const [badgeBox, itemBox] = await Promise.all([
    overlay(page).locator(`.badge[data-id="${id}"]`).boundingBox(),
    page.locator('p.target').boundingBox(),
  ]);
  assert.ok(badgeBox.y >= itemBox.y - 12 && badgeBox.y <= itemBox.y + itemBox.height, JSON.stringify({ badgeBox, itemBox }));

  await page.keyboard.press('Alt+Shift+KeyX');
  await waitAnnotations(page, 0);
  await overlay(page).locator('.badge').waitFor({ state: 'detached', ...WAIT });
});

// A page whose load goes on long after the overlay connected (a dev server's
// app of many modules, here an image that answers after 3 s) is idle long
// before its load event: capture.js still waits for that event, off the
// app's load path (issue 22).
test('capture.js waits for the load event of a page that loads long after the overlay connected', async (t) => {
  const root = tempRoot(t);
  const ctx = { server: await serveAt(t, root) };
  ctx.port = ctx.server.port;
  const slowPage = (c) => plainPage(c).replace('</body>', '<img src="/slow" alt=""></body>');
  const late = () => new Promise((resolve) => { setTimeout(() => resolve(''), 3000); });
  const base = await pageServer(t, { '/plain': slowPage, '/slow': late }, ctx);
  const browser = await launch(t);
  const page = await newPage(browser);
  await page.goto(`${base}/plain`, { waitUntil: 'commit' });
  await overlayReady(page);
  await page.waitForFunction(() => window.__ngAnnotate.lazyLoaded, null, WAIT);
  const timing = await page.evaluate(() => ({
    loadEnd: performance.getEntriesByType('navigation')[0].loadEventEnd,
    capture: performance.getEntriesByType('resource').filter((r) => r.name.includes('/__annotate/capture.js')).map((r) => r.startTime),
  }));
  assert.ok(timing.loadEnd >= 3000, `the page's load took the image's 3 s (${JSON.stringify(timing)})`);
  assert.equal(timing.capture.length, 1);
  assert.ok(timing.capture[0] >= timing.loadEnd, `capture.js started after the load event (${JSON.stringify(timing)})`);
});

// What a page fetches from the overlay when it loads: client.js only. The rest
// (capture.js) comes once, at the first idle moment after connecting and the
// load event, or on first use if that is sooner, and then works.
test('the first load fetches client.js alone; capture.js comes once, after it', async (t) => {
  const { base, browser } = await setup(t);
  const page = await newPage(browser);
  const fetched = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/__annotate/') && path.endsWith('.js')) fetched.push(path);
  });
  await page.goto(`${base}/plain`);
  await overlayReady(page);
  await page.waitForFunction(() => window.__ngAnnotate.lazyLoaded, null, WAIT);
  // The page's load carried client.js alone; capture.js started after its load event.
  const timing = await page.evaluate(() => {
    const loadEnd = performance.getEntriesByType('navigation')[0].loadEventEnd;
    const started = (name) => performance.getEntriesByType('resource')
      .filter((r) => r.name.includes(`/__annotate/${name}`)).map((r) => r.startTime);
    return { loadEnd, client: started('client.js'), capture: started('capture.js') };
  });
  assert.equal(timing.client.length, 1);
  assert.ok(timing.client[0] < timing.loadEnd, 'client.js is part of the load');
  assert.equal(timing.capture.length, 1);
  assert.ok(timing.capture[0] >= timing.loadEnd, `capture.js started after the load event (${JSON.stringify(timing)})`);

  await page.keyboard.press('Alt+Shift+KeyA');
  await page.locator('p.target').hover(); // (likely before capture.js has landed: labelled once it has)
  await page.waitForFunction(() => {
    const label = document.querySelector('ng-annotate-overlay').shadowRoot.querySelector('.hl-label');
    return label && label.style.display === 'block' && label.textContent.length > 0;
  }, null, WAIT);
  await page.locator('p.target').click();
  await overlay(page).locator('.panel[data-mode="annotate"] textarea').waitFor(WAIT);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Alt+Shift+KeyA');
  await page.locator('p.target').click();
  await overlay(page).locator('.panel[data-mode="annotate"] textarea').waitFor(WAIT);
  assert.deepEqual(fetched, ['/__annotate/client.js', '/__annotate/capture.js']);
});
