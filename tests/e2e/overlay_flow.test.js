// The overlay's own flow on a framework-free page (issue 9, "Panel and flow" and
// "Badge anchoring"): queued → delivered, the diff panel after Apply / Reject,
// a sync that leaves an open panel alone, one session per tab, badges that
// follow their element or go to the unplaced tray, panel placement. Headless
// Chromium against the real `serve`; the agent is `ng-annotate mcp` through
// the MCP SDK client. Screenshots of each state go to build/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  launch, serveAt, pageServer, listStored, overlayReady, waitBadgeColour, newPage, overlay, rgb,
} from './lib/browser.js';
import { connect as mcpConnect, call } from '../integration/lib/mcp.js';
import { Client } from '../integration/lib/serve.js';

const WAIT = { timeout: 15000 };
const SHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../build/e2e');
mkdirSync(SHOTS, { recursive: true });
const shot = (page, name) => page.screenshot({ path: join(SHOTS, `flow-${name}.png`) });

// Cards without ids or test ids: the generic adapter's hardest case. `variant`
// changes the structure around them between loads.
const cardsPage = ({ port, variant = 'plain', proto }) => `<!doctype html><html><head><meta charset="utf-8"><title>cards</title>
<style>body { margin: 0; font: 14px sans-serif; } .card { margin: 16px; padding: 8px; border: 1px solid #ccc; width: 280px; }
#edge { position: absolute; right: 4px; top: 40px; width: 60px; margin: 0; }</style></head><body>
<main>
${variant === 'wrapped' ? '<section class="wrap"><p>A new intro paragraph</p>' : ''}
<div class="card"><h2>Alpha</h2><p>first card</p></div>
${variant === 'removed' ? '' : '<div class="card"><h2>Beta</h2><p>second card</p></div>'}
<div class="card"><h2>Gamma</h2><p>third card</p></div>
${variant === 'wrapped' ? '</section>' : ''}
<p class="stamped" data-nga-src="src/pages/cards.html:12:5">a stamped paragraph</p>
</main>
<p id="edge">edge</p>
<script>window.appClicks = 0; document.addEventListener('click', () => { window.appClicks++; });</script>
<script src="http://127.0.0.1:${port}/__annotate/client.js${proto === 1 ? '?proto=1' : ''}"></script>
</body></html>`;

async function setup(t) {
  const root = mkdtempSync(join(tmpdir(), 'nga-e2e-flow-'));
  t.after(() => rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
  const ctx = {};
  ctx.server = await serveAt(t, root);
  ctx.port = ctx.server.port;
  const base = await pageServer(t, { '/cards': cardsPage }, ctx);
  const browser = await launch(t);
  return { root, ctx, base, browser };
}

async function openReady(browser, url, context) {
  const page = await newPage(browser, context);
  await page.goto(url);
  await overlayReady(page);
  return page;
}

// Inspect, click `locator`, type `text`, send. Returns nothing: callers wait for what they expect.
async function annotate(page, locator, text) {
  await page.keyboard.press('Alt+Shift+KeyA');
  await page.waitForFunction(() => window.__ngAnnotate.state.inspecting, null, WAIT);
  await locator.click();
  const area = overlay(page).locator('.panel[data-mode="annotate"] textarea');
  await area.waitFor({ state: 'visible', ...WAIT });
  await area.fill(text);
  await area.press('Control+Enter');
}

async function waitAnnotations(page, count, timeout = 15000) {
  await page.waitForFunction((n) => window.__ngAnnotate.state.annotations.size === n, count, { timeout });
  return page.evaluate(() => [...window.__ngAnnotate.state.annotations.values()].pop());
}

// Badge centre inside the element's box.
async function assertBadgeOn(page, id, locator) {
  const [b, e] = await Promise.all([overlay(page).locator(`.badge[data-id="${id}"]`).boundingBox(), locator.boundingBox()]);
  const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
  assert.ok(cx >= e.x && cx <= e.x + e.width && cy >= e.y && cy <= e.y + e.height,
    `badge centre ${cx},${cy} outside ${JSON.stringify(e)}`);
}

test('offline: a submission shows at once as a queued badge and turns into a normal one when delivered', async (t) => {
  const { root, ctx, base, browser } = await setup(t);
  const page = await openReady(browser, `${base}/cards`);
  // The panels live in capture.js, which comes when the page is idle after
  // connecting and its load event: only once it is here can a panel open with the server gone.
  await page.waitForFunction(() => window.__ngAnnotate.lazyLoaded, null, WAIT);
  await ctx.server.stop();
  await page.waitForFunction(() => !window.__ngAnnotate.connected, null, WAIT);

  const beta = page.locator('h2', { hasText: 'Beta' });
  await annotate(page, beta, 'make Beta bold');
  const queued = overlay(page).locator('.badge.queued');
  await queued.waitFor({ state: 'visible', ...WAIT });
  assert.equal(await queued.getAttribute('data-status'), 'queued');
  assert.equal(await queued.evaluate((el) => getComputedStyle(el).borderTopStyle), 'dashed');
  assert.equal(await page.evaluate(() => window.__ngAnnotate.queued()), 1);
  await assertBadgeOn(page, await queued.getAttribute('data-id'), beta);
  await shot(page, 'queued-badge');

  ctx.server = await serveAt(t, root, ctx.port);
  const created = await waitAnnotations(page, 1, 30000);
  await waitBadgeColour(page, created.id, '#3b82f6');
  await queued.waitFor({ state: 'detached', ...WAIT });
  const delivered = overlay(page).locator(`.badge[data-id="${created.id}"]`);
  assert.equal(await delivered.evaluate((el) => el.classList.contains('queued')), false);
  assert.equal(await delivered.evaluate((el) => getComputedStyle(el).borderTopStyle), 'solid');
  await assertBadgeOn(page, created.id, beta);
  const stored = listStored(root);
  assert.equal(stored.length, 1);
  assert.equal(stored[0].annotationText, 'make Beta bold');
  assert.equal(stored[0].anchor.text, 'Beta');
  await shot(page, 'delivered-badge');
});

const DIFF = '--- a/src/pages/cards.html\n+++ b/src/pages/cards.html\n@@ -1 +1 @@\n-<h2>Beta</h2>\n+<h2><b>Beta</b></h2>\n';

// One annotation with a proposed diff and its diff panel open; returns the agent and the id.
async function diffProposed(t, root, page) {
  await annotate(page, page.locator('h2', { hasText: 'Gamma' }), 'bold Gamma');
  const { id } = await waitAnnotations(page, 1);
  const agent = await mcpConnect(t, root, 'e2e-agent');
  assert.ok(!(await call(agent, 'acknowledge', { id })).result.isError);
  assert.ok(!(await call(agent, 'propose_diff', { id, diff: DIFF })).result.isError);
  await waitBadgeColour(page, id, '#8b5cf6');
  await overlay(page).locator(`.badge[data-id="${id}"]`).click();
  const panel = overlay(page).locator('.panel[data-mode="diff"]');
  await panel.waitFor({ state: 'visible', ...WAIT });
  return { agent, id, panel };
}

test('diff panel after Apply: the answer shows, Apply/Reject are gone, "writing" stays until resolved', async (t) => {
  const { root, base, browser } = await setup(t);
  const page = await openReady(browser, `${base}/cards`);
  const { agent, id, panel } = await diffProposed(t, root, page);
  await shot(page, 'diff-proposed');
  await panel.locator('button[data-action="apply"]').click();

  const watched = await call(agent, 'watch_diff_response', { id, timeoutMs: 10000 });
  assert.equal(watched.value.status, 'approved');
  const answer = panel.locator('[data-field="answer"]');
  await page.waitForFunction(() => document.querySelector('ng-annotate-overlay').shadowRoot
    .querySelector('.panel [data-field="answer"]')?.dataset.state === 'writing', null, WAIT);
  assert.equal(await answer.getAttribute('data-answer'), 'approved');
  assert.match(await answer.textContent(), /Approved.*writing/);
  assert.equal(await panel.locator('button[data-action="apply"], button[data-action="reject"]').count(), 0);
  await shot(page, 'diff-approved-writing');

  // An agent reply while writing keeps the state (the panel is rebuilt, the answer stays).
  assert.ok(!(await call(agent, 'reply', { id, message: 'writing it now' })).result.isError);
  await page.waitForFunction((id) => window.__ngAnnotate.state.annotations.get(id).replies.length === 1, id, WAIT);
  assert.equal(await answer.getAttribute('data-state'), 'writing');
  assert.equal(await panel.locator('button[data-action="apply"]').count(), 0);

  assert.ok(!(await call(agent, 'resolve', { id, summary: 'done' })).result.isError);
  await waitBadgeColour(page, id, '#22c55e');
  await page.waitForFunction(() => document.querySelector('ng-annotate-overlay').shadowRoot
    .querySelector('.panel [data-field="answer"]')?.dataset.state === 'settled', null, WAIT);
  assert.equal(await panel.locator('[data-field="status"]').textContent(), 'resolved');
  await shot(page, 'diff-resolved');
});

test('diff panel after Reject: the rejection shows and the buttons are gone', async (t) => {
  const { root, base, browser } = await setup(t);
  const page = await openReady(browser, `${base}/cards`);
  const { agent, id, panel } = await diffProposed(t, root, page);
  await panel.locator('button[data-action="reject"]').click();
  // At once, before the server answers: no second click possible.
  assert.equal(await panel.locator('button[data-action="apply"], button[data-action="reject"]').count(), 0);
  const watched = await call(agent, 'watch_diff_response', { id, timeoutMs: 10000 });
  assert.equal(watched.value.status, 'rejected');
  await page.waitForFunction(() => document.querySelector('ng-annotate-overlay').shadowRoot
    .querySelector('.panel [data-field="answer"]')?.dataset.state === 'writing', null, WAIT);
  const answer = panel.locator('[data-field="answer"]');
  assert.equal(await answer.getAttribute('data-answer'), 'rejected');
  assert.match(await answer.textContent(), /Rejected/);
  await shot(page, 'diff-rejected');
  // Reopening the panel from the badge shows the same answered state.
  await panel.locator('button[data-action="close"]').click();
  await overlay(page).locator(`.badge[data-id="${id}"]`).click();
  await panel.waitFor({ state: 'visible', ...WAIT });
  assert.equal(await panel.locator('[data-field="answer"]').getAttribute('data-answer'), 'rejected');
  assert.equal(await panel.locator('button[data-action="reject"]').count(), 0);
});

// Both revisions: proto=2 (unchanged frames, reply deltas, where the server has them) and
// the original full frames (`?proto=1`, what a server without revision 2 always sends).
for (const proto of [2, 1]) {
  test(`proto ${proto}: the 2 s sync leaves an open thread alone; a real change rebuilds it and keeps the draft`, async (t) => {
    const { root, ctx, base, browser } = await setup(t);
    ctx.proto = proto;
    const page = await openReady(browser, `${base}/cards`);
    await annotate(page, page.locator('h2', { hasText: 'Alpha' }), 'rename Alpha');
    const { id } = await waitAnnotations(page, 1);
    const agent = await mcpConnect(t, root, 'e2e-agent');
    assert.ok(!(await call(agent, 'reply', { id, message: 'to what?' })).result.isError);
    await page.waitForFunction((id) => window.__ngAnnotate.state.annotations.get(id).replies.length === 1, id, WAIT);

    await overlay(page).locator(`.badge[data-id="${id}"]`).click();
    const panel = overlay(page).locator('.panel[data-mode="thread"]');
    await panel.waitFor({ state: 'visible', ...WAIT });
    const area = panel.locator('textarea');
    await area.click();
    await area.pressSequentially('half a rep');
    // Mark the panel's nodes, select part of the request, and wait for two periodic syncs.
    await panel.evaluate((p) => { p.querySelector('[data-field="request"]').__mark = 'kept'; });
    const before = await page.evaluate(() => window.__ngAnnotate.state.syncs);
    await page.waitForFunction((n) => window.__ngAnnotate.state.syncs >= n + 2, before, { timeout: 10000 });
    assert.equal(await panel.evaluate((p) => p.querySelector('[data-field="request"]').__mark), 'kept', 'the panel was rebuilt');
    assert.equal(await area.inputValue(), 'half a rep');
    assert.equal(await area.evaluate((el) => el.getRootNode().activeElement === el), true, 'focus lost');
    await area.pressSequentially('ly');
    await shot(page, `thread-draft-proto${proto}`);

    // A change to this annotation rebuilds it: the new reply shows, the draft and focus survive.
    assert.ok(!(await call(agent, 'reply', { id, message: 'second question' })).result.isError);
    await page.waitForFunction(() => /second question/.test(document.querySelector('ng-annotate-overlay').shadowRoot
      .querySelector('.panel[data-mode="thread"]')?.textContent), null, WAIT);
    assert.equal(await panel.evaluate((p) => p.querySelector('[data-field="request"]').__mark), undefined);
    assert.equal(await area.inputValue(), 'half a reply');
    await area.press('Control+Enter');
    await page.waitForFunction((id) => window.__ngAnnotate.state.annotations.get(id).replies.length === 3, id, WAIT);
    // What the server sent: revision 2's deltas, or the original full frames only.
    const frames = await page.evaluate(() => window.__ngAnnotate.state.frames);
    if (proto === 2) {
      assert.ok(frames['annotations:unchanged'] >= 1, JSON.stringify(frames));
      assert.ok(frames['annotation:reply'] >= 1, JSON.stringify(frames));
    } else {
      assert.equal(frames['annotations:unchanged'], undefined, JSON.stringify(frames));
      assert.equal(frames['annotation:reply'], undefined, JSON.stringify(frames));
      assert.ok(frames['annotations:sync'] >= 3, JSON.stringify(frames));
    }
    const [stored] = listStored(root);
    assert.deepEqual(stored.replies.map((r) => [r.author, r.message]),
      [['agent', 'to what?'], ['agent', 'second question'], ['user', 'half a reply']]);
  });
}

test('one session per tab: two tabs get two sessions, a reload keeps the tab\'s own', async (t) => {
  const { base, browser } = await setup(t);
  const context = await browser.newContext();
  const one = await openReady(browser, `${base}/cards`, context);
  const two = await openReady(browser, `${base}/cards`, context);
  const sid = (p) => p.evaluate(() => window.__ngAnnotate.state.session.id);
  const [s1, s2] = [await sid(one), await sid(two)];
  assert.match(s1, /^[0-9a-f-]{36}$/);
  assert.notEqual(s1, s2, 'two tabs share a session');
  assert.equal(await one.evaluate(() => sessionStorage.getItem('ng-annotate:sessionId')), s1);
  assert.equal(await one.evaluate(() => localStorage.getItem('ng-annotate:sessionId')), null);
  await one.reload();
  await overlayReady(one);
  assert.equal(await sid(one), s1);
  await two.reload();
  await overlayReady(two);
  assert.equal(await sid(two), s2);
});

test('anchoring: a badge follows its element when the structure around it changes, else it goes to the tray', async (t) => {
  const { root, ctx, base, browser } = await setup(t);
  const page = await openReady(browser, `${base}/cards`);
  const beta = page.locator('h2', { hasText: 'Beta' });
  await annotate(page, beta, 'Beta needs an icon');
  const { id } = await waitAnnotations(page, 1);
  await waitBadgeColour(page, id, '#3b82f6');
  await assertBadgeOn(page, id, beta);

  // The cards get wrapped and a paragraph comes before them: the element path no longer matches.
  ctx.variant = 'wrapped';
  await page.reload();
  await overlayReady(page);
  await waitAnnotations(page, 1);
  await waitBadgeColour(page, id, '#3b82f6');
  await assertBadgeOn(page, id, beta);
  assert.equal(await overlay(page).locator(`.badge[data-id="${id}"]`).getAttribute('data-placed'), 'true');
  await shot(page, 'anchor-after-wrap');

  // The card is gone: the badge waits in the tray, on no other element.
  ctx.variant = 'removed';
  await page.reload();
  await overlayReady(page);
  await waitAnnotations(page, 1);
  const inTray = overlay(page).locator(`.tray .badge[data-id="${id}"]`);
  await inTray.waitFor({ state: 'visible', ...WAIT });
  assert.equal(await inTray.getAttribute('data-placed'), 'false');
  assert.equal(await overlay(page).locator('.badges .badge').count(), 0);
  await shot(page, 'anchor-unplaced-tray');
  // The tray's badge still opens the thread.
  await inTray.click();
  await overlay(page).locator('.panel[data-mode="thread"]').waitFor({ state: 'visible', ...WAIT });

  // Live: the element comes back (a DOM change, no reload) and the badge goes back onto it.
  await page.evaluate(() => {
    const card = document.createElement('div');
    card.className = 'card';
    card.innerHTML = '<h2>Beta</h2><p>second card</p>';
    document.querySelector('.card').after(card);
  });
  await page.waitForFunction((id) => document.querySelector('ng-annotate-overlay').shadowRoot
    .querySelector(`.badges .badge[data-id="${id}"]`), id, WAIT);
  await assertBadgeOn(page, id, beta);
  // And removed live: to the tray again.
  await page.evaluate(() => document.querySelectorAll('.card')[1].remove());
  await inTray.waitFor({ state: 'visible', ...WAIT });
  assert.equal(listStored(root).length, 1);
});

test('the panel opens beside the clicked element, flips to stay in view, and shows the stamp\'s file:line', async (t) => {
  const { root, base, browser } = await setup(t);
  const page = await openReady(browser, `${base}/cards`);
  const panel = overlay(page).locator('.panel[data-mode="annotate"]');
  const inView = async () => {
    const p = await panel.boundingBox();
    const vp = page.viewportSize();
    assert.ok(p.x >= 0 && p.y >= 0 && p.x + p.width <= vp.width && p.y + p.height <= vp.height, JSON.stringify({ p, vp }));
    return p;
  };

  // Left of the page: the panel goes to its right.
  const alpha = page.locator('h2', { hasText: 'Alpha' });
  await page.keyboard.press('Alt+Shift+KeyA');
  await alpha.click();
  await panel.waitFor({ state: 'visible', ...WAIT });
  const a = await alpha.boundingBox();
  const p1 = await inView();
  assert.equal(await panel.getAttribute('data-side'), 'right');
  assert.ok(p1.x >= a.x + a.width, JSON.stringify({ p1, a }));
  await page.keyboard.press('Escape');

  // At the right edge: flipped to the left.
  const edge = page.locator('#edge');
  await page.keyboard.press('Alt+Shift+KeyA');
  await edge.click();
  await panel.waitFor({ state: 'visible', ...WAIT });
  const e = await edge.boundingBox();
  const p2 = await inView();
  assert.equal(await panel.getAttribute('data-side'), 'left');
  assert.ok(p2.x + p2.width <= e.x, JSON.stringify({ p2, e }));
  await page.keyboard.press('Escape');

  // A stamped element: under the title the root-relative file:line, not a CSS path.
  await page.keyboard.press('Alt+Shift+KeyA');
  await page.locator('p.stamped').click();
  await panel.waitFor({ state: 'visible', ...WAIT });
  assert.equal(await panel.locator('[data-field="file"]').textContent(), 'src/pages/cards.html:12');
  await shot(page, 'annotate-panel');
  const area = panel.locator('textarea');
  await area.fill('reword');
  await area.press('Control+Enter');
  await waitAnnotations(page, 1);
  const [stored] = listStored(root);
  assert.equal(stored.sourceLocation, 'src/pages/cards.html:12:5');
  assert.equal(stored.componentFilePath, 'src/pages/cards.html');
  assert.equal(stored.anchor.stamp, 'src/pages/cards.html:12:5');
  assert.equal(await page.evaluate(() => window.appClicks), 0);
});

test('finished annotations beyond the sync\'s cap are counted, and paged in from the help panel', async (t) => {
  const { ctx, base, browser } = await setup(t);
  const page = await openReady(browser, `${base}/cards`);
  const sid = await page.evaluate(() => window.__ngAnnotate.state.session.id);
  // Another socket of the same session makes 104 annotations and dismisses them (terminal).
  const ws = await Client.connect(`ws://127.0.0.1:${ctx.port}/__annotate?sessionId=${sid}`);
  t.after(() => ws.ws.close());
  await ws.next('annotations:sync');
  for (let i = 0; i < 104; i++) {
    ws.ws.send(JSON.stringify({ type: 'annotation:create', payload: { annotationText: `old ${i}`, componentName: 'div' } }));
    const { annotation } = await ws.next('annotation:created');
    ws.ws.send(JSON.stringify({ type: 'annotation:delete', id: annotation.id }));
    await ws.nextMatching((m) => m.type === 'annotation:updated' && m.annotation.id === annotation.id && m.annotation.status === 'dismissed');
  }
  // The server's cap on terminal annotations per sync is 100: 4 are left out, and said so.
  await page.waitForFunction(() => window.__ngAnnotate.state.more === 4 && window.__ngAnnotate.state.annotations.size === 100, null, WAIT);
  await overlay(page).locator('.fab').click();
  const help = overlay(page).locator('.panel[data-mode="help"]');
  await help.waitFor({ state: 'visible', ...WAIT });
  assert.match(await help.locator('[data-field="more"]').textContent(), /^4 older finished annotations not shown/);
  await help.locator('button[data-action="older"]').click();
  const older = help.locator('[data-field="older"] li');
  await older.nth(3).waitFor(WAIT);
  const texts = await older.allTextContents();
  assert.equal(texts.length, 4);
  // The oldest four, newest first, none of them among the synced ones.
  assert.deepEqual(texts.map((x) => x.replace(/^dismissed\s*(div: )?/, '')), ['old 3', 'old 2', 'old 1', 'old 0']);
  assert.equal(await help.locator('button[data-action="older"]').count(), 0, 'no further page');
  await shot(page, 'help-older-page');
});
