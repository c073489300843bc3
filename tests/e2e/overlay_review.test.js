// The before/after check (issue 18) on the React demo of examples/ through
// its real Vite dev server, our plugin and Vite's real HMR, in headless
// Chromium: the agent (the official MCP SDK client on `ng-annotate mcp`)
// resolves; a real edit of the component's source reaches the page by HMR;
// the overlay draws the element again and stores it as the after image, which
// get_annotation returns decodable beside the before image; the thread shows
// both, and Accept closes the annotation. A second annotation, whose edit
// lands before the resolve (the order an agent works in), is reopened with a
// note, which wakes the agent's watch_annotations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './lib/browser.js';
import {
  startViteApp, overlayReady, badge, editFile, waitForEdit, stored, shot, annotatePanel, sendAnnotation, WAIT,
} from './lib/vite-app.js';
import { connect as mcpConnect, call } from '../integration/lib/mcp.js';

const CARD = 'section.user-card';
const FILE = 'src/components/UserCard.tsx';
const overlay = (page) => page.locator('ng-annotate-overlay');

async function annotate(page, text) {
  await page.keyboard.press('Alt+Shift+KeyA');
  await page.waitForFunction(() => window.__ngAnnotate.state.inspecting, null, WAIT);
  const target = page.locator(CARD).first();
  await target.hover(WAIT);
  await target.click(WAIT);
  await annotatePanel(page).locator('[data-field="thumbnail"]').waitFor({ state: 'visible', ...WAIT });
  return sendAnnotation(page, text);
}

// Resolves once the daemon has the after image of `id` (polled, bounded).
async function afterStored(page, id, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    const status = await page.evaluate(async (x) => (await fetch(`/__annotate/annotations/${x}/screenshot?kind=after`)).status, id);
    if (status === 200) return;
    if (Date.now() > end) throw new Error(`no after image of ${id} within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// The images of get_annotation, each with the text part before it.
async function images(agent, id) {
  const { result } = await call(agent, 'get_annotation', { id });
  assert.equal(result.isError, false, JSON.stringify(result.content));
  return result.content.flatMap((c, i) => (c.type === 'image' ? [{ ...c, label: result.content[i - 1].text }] : []));
}

// Size and count of clearly red pixels of an image, as the browser decodes it.
function decode(page, { mimeType, data }) {
  return page.evaluate(async ({ mimeType, data }) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: mimeType }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const g = canvas.getContext('2d');
    g.drawImage(bitmap, 0, 0);
    const px = g.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let red = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] > 170 && px[i + 1] < 70 && px[i + 2] < 70) red++;
    return { width: bitmap.width, height: bitmap.height, red };
  }, { mimeType, data });
}

async function openThread(page, id) {
  await badge(page, id).click(WAIT);
  const panel = overlay(page).locator('.panel[data-mode="thread"]');
  await panel.waitFor({ state: 'visible', ...WAIT });
  return panel;
}

// Both images of the review block loaded (not replaced by their "missing" note).
async function reviewShown(panel) {
  for (const field of ['before', 'after']) {
    const img = panel.locator(`[data-field="review"] img[data-field="${field}"]`);
    await img.waitFor({ state: 'visible', ...WAIT });
    await img.evaluate((el) => (el.complete ? null : new Promise((r) => { el.onload = r; el.onerror = r; })));
    assert.ok(await img.evaluate((el) => el.naturalWidth > 0), `the ${field} image shows`);
  }
}

test('react-demo: resolve, HMR, the after image; Accept closes; Reopen with a note wakes the agent', async (t) => {
  const server = await startViteApp('react-demo');
  t.after(() => server.stop());
  const restores = [];
  t.after(() => { for (const restore of restores.reverse()) restore(); });
  const browser = await launch(t);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  t.after(() => context.close());
  const page = await context.newPage();
  page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
  await page.goto(server.url);
  await overlayReady(page);
  const agent = await mcpConnect(t, server.root, 'e2e-review');

  try {
    // 1. Resolved first, then the source edit reaches the page by HMR.
    const first = await annotate(page, 'make the name red');
    await page.keyboard.press('Escape');
    assert.equal((await call(agent, 'acknowledge', { id: first })).result.isError, false);
    assert.equal((await call(agent, 'resolve', { id: first, summary: 'the name is red now' })).result.isError, false);
    await page.waitForFunction((x) => window.__ngAnnotate.state.annotations.get(x)?.status === 'resolved', first, WAIT);
    const red = editFile(server.root, FILE, (s) => s.replace('<h2 className="user-name">', '<h2 className="user-name" style={{ color: \'rgb(220, 0, 0)\' }}>'));
    restores.push(red);
    await waitForEdit(red, (timeout) => page.waitForFunction(
      () => getComputedStyle(document.querySelector('.user-name')).color === 'rgb(220, 0, 0)', null, { timeout }));
    await afterStored(page, first);

    const [before, after] = await images(agent, first);
    assert.ok(before && after, 'get_annotation has both images');
    assert.match(before.label, /^Screenshot \(before\)/);
    assert.match(after.label, /^Screenshot \(after\)/);
    const b = await decode(page, before), a = await decode(page, after);
    const box = await page.locator(CARD).first().boundingBox();
    assert.ok(Math.abs(a.width - (box.width + 16)) <= 2 && Math.abs(a.height - (box.height + 16)) <= 2,
      `after ${a.width}x${a.height}, the card with its margin ${box.width + 16}x${box.height + 16}`);
    assert.equal(b.red, 0, 'the before image has no red name');
    assert.ok(a.red > 20, `the after image shows the red name (${a.red} red pixels)`);

    const thread = await openThread(page, first);
    await reviewShown(thread);
    assert.equal(await thread.locator('[data-field="no-update"]').count(), 0, 'the update was seen');
    await shot(page, 'review-before-after');
    await thread.locator('[data-action="accept"]').click(WAIT);
    await page.waitForFunction((x) => window.__ngAnnotate.state.annotations.get(x)?.status === 'accepted', first, WAIT);
    assert.equal(stored(server.root).find((x) => x.id === first).status, 'accepted');
    assert.equal(await thread.locator('[data-action="accept"]').count(), 0, 'no verdict twice');
    await page.keyboard.press('Escape');

    // 2. The edit lands first, then the resolve; the user reopens with a note.
    const second = await annotate(page, 'make the age bold');
    await page.keyboard.press('Escape');
    assert.equal((await call(agent, 'acknowledge', { id: second })).result.isError, false);
    const bold = editFile(server.root, FILE, (s) => s.replace('<span className="user-age">', '<span className="user-age" style={{ fontWeight: 700 }}>'));
    restores.push(bold);
    await waitForEdit(bold, (timeout) => page.waitForFunction(
      () => getComputedStyle(document.querySelector('.user-age')).fontWeight === '700', null, { timeout }));
    assert.equal((await call(agent, 'resolve', { id: second, summary: 'bold' })).result.isError, false);
    await afterStored(page, second);
    assert.equal((await images(agent, second)).length, 2);

    const panel = await openThread(page, second);
    await reviewShown(panel);
    // Seen although it landed before the resolve: the hot update since the annotation was made.
    assert.equal(await panel.locator('[data-field="no-update"]').count(), 0, 'the earlier update was seen');
    await panel.locator('[data-action="reopen"]').click(WAIT);
    await panel.locator('[data-field="reopen-hint"]').filter({ hasText: 'still wrong' }).waitFor(WAIT);
    assert.equal(stored(server.root).find((x) => x.id === second).status, 'resolved', 'no note, no reopen');

    const woken = call(agent, 'watch_annotations', { timeoutMs: 30000 });
    await panel.locator('textarea').fill('bolder, and the city too');
    await panel.locator('[data-action="reopen"]').click(WAIT);
    const { value } = await woken;
    assert.equal(value.status, 'annotations');
    const work = value.annotations.find((x) => x.id === second);
    assert.ok(work, JSON.stringify(value));
    assert.equal(work.status, 'pending');
    assert.deepEqual(work.replies.at(-1), { ...work.replies.at(-1), author: 'user', message: 'bolder, and the city too' });
    await page.waitForFunction((x) => window.__ngAnnotate.state.annotations.get(x)?.status === 'pending', second, WAIT);
  } finally {
    for (const restore of restores.reverse()) restore();
    restores.length = 0;
  }
});
