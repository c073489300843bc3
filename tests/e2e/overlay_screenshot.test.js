// The screenshot sent with an annotation (issue 18), on the fixture apps of
// examples/ through their real dev server and our Vite plugin, in headless
// Chromium at device pixel ratio 2: the panel shows its thumbnail before
// sending; the agent's get_annotation (the official MCP SDK client against
// `ng-annotate mcp`) returns image content that decodes, the size of the
// element's box plus the margin; the page reads it back at
// /__annotate/annotations/ID/screenshot; a dropped screenshot is not stored;
// no list answer carries image bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './lib/browser.js';
import { startViteApp, overlayReady, annotatePanel, sendAnnotation, decodedSize, WAIT } from './lib/vite-app.js';
import { connect as mcpConnect, call } from '../integration/lib/mcp.js';

const MARGIN = 8; // client/src/lazy/screenshot.js
const DPR = 2;

// Alt+Shift+A, click `selector`, wait for the thumbnail, maybe drop it, send.
async function annotate(page, selector, text, { drop = false } = {}) {
  await page.keyboard.press('Alt+Shift+KeyA');
  await page.waitForFunction(() => window.__ngAnnotate.state.inspecting, null, WAIT);
  const target = page.locator(selector).first();
  await target.hover(WAIT);
  await target.click(WAIT);
  const panel = annotatePanel(page);
  const thumbnail = panel.locator('[data-field="thumbnail"]');
  await thumbnail.waitFor({ state: 'visible', ...WAIT });
  const natural = await thumbnail.evaluate((img) => ({ width: img.naturalWidth, height: img.naturalHeight }));
  if (drop) await panel.locator('[data-action="drop-screenshot"]').click();
  const id = await sendAnnotation(page, text);
  return { id, natural };
}

for (const app of ['react-demo', 'vue-demo', 'svelte-demo']) {
  test(`${app}: the screenshot reaches get_annotation as an image of the element's box; a dropped one is not stored`, async (t) => {
    const server = await startViteApp(app);
    t.after(() => server.stop());
    const browser = await launch(t);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: DPR });
    t.after(() => context.close());
    const page = await context.newPage();
    page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
    await page.goto(server.url);
    await overlayReady(page);

    const card = 'section.user-card';
    const box = await page.locator(card).first().boundingBox();
    const kept = await annotate(page, card, 'give the card more room');
    const agent = await mcpConnect(t, server.root, `e2e-shot-${app}`);
    const { result } = await call(agent, 'get_annotation', { id: kept.id });
    assert.equal(result.isError, false);
    const images = result.content.filter((c) => c.type === 'image');
    assert.equal(images.length, 1, JSON.stringify(result.content.map((c) => c.type)));
    const [image] = images;
    assert.match(image.mimeType, /^image\/(webp|png)$/);
    assert.ok(Buffer.from(image.data, 'base64').length <= 300 * 1024);
    const size = await decodedSize(page, image);
    // The box plus its margin on each side, at DPR 2 (a pixel of rounding either way).
    const want = { width: (box.width + 2 * MARGIN) * DPR, height: (box.height + 2 * MARGIN) * DPR };
    assert.ok(Math.abs(size.width - want.width) <= 2 && Math.abs(size.height - want.height) <= 2,
      `decoded ${JSON.stringify(size)}, the box with its margin ${JSON.stringify(want)}`);
    assert.deepEqual(size, kept.natural, 'the thumbnail the user saw is the image sent');
    const label = result.content[result.content.indexOf(image) - 1];
    assert.match(label.text, /^Screenshot \(before\)/);

    // The page reads it back under the same origin policy.
    const served = await page.evaluate(async (id) => {
      const res = await fetch(`/__annotate/annotations/${id}/screenshot`);
      return { status: res.status, type: res.headers.get('content-type'), bytes: (await res.arrayBuffer()).byteLength };
    }, kept.id);
    assert.deepEqual(served, { status: 200, type: image.mimeType, bytes: Buffer.from(image.data, 'base64').length });

    // Dropped: nothing stored, nothing served.
    const dropped = await annotate(page, card, 'no picture of this one', { drop: true });
    const second = await call(agent, 'get_annotation', { id: dropped.id });
    assert.deepEqual(second.result.content.map((c) => c.type), ['text', 'text']);
    const none = await page.evaluate(async (id) => (await fetch(`/__annotate/annotations/${id}/screenshot`)).status, dropped.id);
    assert.equal(none, 404);

    // No list answer carries image bytes.
    for (const [tool, args] of [['get_all_pending', {}], ['list_sessions', {}]]) {
      const listed = JSON.stringify((await call(agent, tool, args)).result);
      assert.ok(!listed.includes(image.data.slice(0, 64)) && !listed.includes('"image"'), `${tool} carries no image`);
    }
  });
}
