// Several elements, or an area (issue 18), on the React demo of examples/
// through its real Vite dev server and our plugin, in headless Chromium; the
// agent side is the official MCP SDK client against `ng-annotate mcp`.
// Shift+click of one component and a click on another give ONE annotation
// with both contexts (the first in the top-level fields, the other in
// `elements`); a drag over empty space gives the area's screenshot (it
// decodes, the area's size) and the components wholly inside it. A hostile
// page's text stays under `pageData` (mcp_page_data_test.cpp covers each field).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage } from './lib/browser.js';
import { startViteApp, overlayReady, annotatePanel, sendAnnotation, decodedSize, WAIT } from './lib/vite-app.js';
import { connect as mcpConnect, call } from '../integration/lib/mcp.js';

const overlayHost = (page) => page.locator('ng-annotate-overlay');

// Inspecting, with capture.js loaded (the hover label shows).
async function inspect(page) {
  await page.keyboard.press('Alt+Shift+KeyA');
  await page.waitForFunction(() => window.__ngAnnotate.state.inspecting, null, WAIT);
  await page.locator('h1').hover(WAIT);
  await overlayHost(page).locator('.hl-label').waitFor({ state: 'visible', ...WAIT });
}

// Sends the open panel with `text` once its thumbnail is there; returns the
// stored annotation's id.
async function send(page, text) {
  await annotatePanel(page).locator('[data-field="thumbnail"]').waitFor({ state: 'visible', ...WAIT });
  return sendAnnotation(page, text);
}

test('react-demo: Shift+click gives one annotation with both contexts; a drag gives the area and the components inside it', async (t) => {
  const server = await startViteApp('react-demo');
  t.after(() => server.stop());
  const browser = await launch(t);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  t.after(() => context.close());
  const page = await newPage(browser, context);
  await page.goto(server.url);
  await overlayReady(page);
  const agent = await mcpConnect(t, server.root, 'e2e-multi');

  // Shift+click the user card, then click the first product card.
  await inspect(page);
  await page.locator('section.user-card').click({ modifiers: ['Shift'], ...WAIT });
  await overlayHost(page).locator('[data-role="picked"]').waitFor({ state: 'visible', ...WAIT });
  assert.ok(await page.evaluate(() => window.__ngAnnotate.state.inspecting), 'Shift+click keeps inspecting');
  await page.locator('article.product-card').first().click(WAIT);
  const listed = await annotatePanel(page).locator('[data-field="elements"] li').allTextContents();
  assert.deepEqual(listed.map((s) => s.split(' ')[0]), ['UserCard', 'ProductCard'], 'the panel shows what is selected');
  const pairId = await send(page, 'line these two up');

  const pair = await call(agent, 'get_annotation', { id: pairId });
  assert.equal(pair.result.isError, false);
  const v = pair.value;
  assert.equal(v.componentName, 'UserCard');
  assert.equal(v.componentFilePath, 'src/components/UserCard.tsx');
  assert.equal(v.elements.length, 1, JSON.stringify(v.elements));
  const [second] = v.elements;
  assert.equal(second.componentName, 'ProductCard');
  assert.equal(second.componentFilePath, 'src/components/ProductCard.tsx');
  assert.match(second.sourceLocation, /^src\/components\/ProductCard\.tsx:\d+:\d+$/);
  assert.deepEqual(second.componentTreePath.slice(-2), ['App', 'ProductList']);
  assert.equal(second.inputs, undefined, 'an element\'s inputs are page data');
  assert.equal(v.pageData.elements[0].inputs.product.name, 'Espresso cup');
  assert.match(v.pageData.elements[0].domSnapshot, /^<article class="product-card">/);
  assert.equal(v.pageData.inputs.name, 'Ada Lovelace');
  assert.match(pair.result.content[1].text, /selected 2 element\(s\)/);
  assert.equal(pair.result.content.filter((c) => c.type === 'image').length, 1);
  // Lists name `elements` as left out.
  const pending = (await call(agent, 'get_all_pending')).value.annotations.find((a) => a.id === pairId);
  assert.equal(pending.elements, undefined);
  assert.ok(pending.omitted.includes('elements'), JSON.stringify(pending.omitted));

  // Drag over empty space, from left of the list to past its second card.
  const cards = page.locator('article.product-card');
  const a = await cards.nth(0).boundingBox();
  const b = await cards.nth(1).boundingBox();
  const from = { x: a.x - 60, y: a.y - 4 };
  const to = { x: b.x + b.width + 60, y: b.y + b.height + 4 };
  await inspect(page);
  assert.equal(await page.evaluate(({ x, y }) => document.elementFromPoint(x, y).closest('article, section'), from), null,
    'the drag starts on empty space');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
  await annotatePanel(page).locator('[data-field="region"]').waitFor({ state: 'visible', ...WAIT });
  const areaId = await send(page, 'these two cards need more space between them');

  const area = await call(agent, 'get_annotation', { id: areaId });
  const r = area.value.region;
  const want = { x: from.x, y: from.y, width: to.x - from.x, height: to.y - from.y };
  for (const k of ['x', 'y', 'width', 'height']) assert.ok(Math.abs(r[k] - want[k]) <= 1, `region ${JSON.stringify(r)} vs ${JSON.stringify(want)}`);
  const names = [area.value.componentName, ...area.value.elements.map((e) => e.componentName)];
  assert.deepEqual(names, ['ProductCard', 'PriceTag', 'ProductCard', 'PriceTag'], 'the components wholly inside, outermost first');
  assert.match(area.result.content[1].text, /dragged over an area/);
  const [image] = area.result.content.filter((c) => c.type === 'image');
  assert.ok(image, 'the area\'s screenshot');
  const size = await decodedSize(page, image);
  assert.ok(Math.abs(size.width - r.width) <= 2 && Math.abs(size.height - r.height) <= 2,
    `decoded ${JSON.stringify(size)}, the area ${r.width}x${r.height}`);
});
