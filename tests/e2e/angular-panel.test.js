// The annotate panel and the highlight on the real Angular demo (a copy of
// examples/angular-demo, served by `ng serve` through our builder): a
// component with more than five inputs shows the first five plus "N more",
// under the title goes the root-relative file:line, the panel opens beside
// the component, and the hover highlight of a display:inline host is the
// union of its rendered children's boxes (Panel's host; UserCard's is a grid
// item, so block). One ng serve for the file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage, overlayReady, overlay } from './lib/browser.js';
import { shot } from './lib/vite-app.js';
import { DEMO, copyApp, nodeFor, ngServe } from '../integration/lib/ng.js';

const WAIT = { timeout: 30000 };
const cleanups = [];
let dir;
let server;

before(async () => {
  dir = copyApp(DEMO, (fn) => cleanups.push(fn));
  // Two more inputs on UserCard (7 in all), in the copy only.
  const file = join(dir, 'src/app/user-card/user-card.ts');
  const source = readFileSync(file, 'utf8').replace(
    "@Input() joined: Date = new Date(0);",
    "@Input() joined: Date = new Date(0);\n  @Input() nickname = 'Countess';\n  @Input() score = 7;",
  );
  assert.match(source, /nickname/, 'the demo\'s UserCard changed shape: update this test');
  writeFileSync(file, source);
  server = await ngServe(dir, { node: nodeFor(DEMO) });
});

after(async () => {
  await server?.stop();
  for (const fn of cleanups.reverse()) fn();
});

test('inline host highlight; UserCard: five inputs and "2 more", file:line under the title, beside the component', async (t) => {
  const browser = await launch(t);
  const page = await newPage(browser);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${server.url}/`);
  await overlayReady(page, 60000);
  // The dashboard's Panel host is display:inline around a block <div>.
  const inlineHost = page.locator('app-panel');
  assert.equal(await inlineHost.evaluate((el) => getComputedStyle(el).display), 'inline');
  const inner = await page.locator('app-panel > div.panel').boundingBox();

  await page.keyboard.press('Alt+Shift+KeyA');
  await page.waitForFunction(() => window.__ngAnnotate.state.inspecting, null, WAIT);
  await page.locator('app-panel > div.panel > h3').hover();
  const hl = overlay(page).locator('.hl');
  await hl.waitFor({ state: 'visible', ...WAIT });
  await page.waitForFunction(() => /^Panel/.test(document.querySelector('ng-annotate-overlay').shadowRoot.querySelector('.hl-label').textContent), null, WAIT);
  const h = await hl.boundingBox();
  for (const k of ['x', 'y', 'width', 'height']) assert.ok(Math.abs(h[k] - inner[k]) <= 1, `highlight ${k}: ${JSON.stringify({ h, inner })}`);
  await shot(page, 'angular-highlight-inline-host');
  const a = await page.locator('app-user-card').boundingBox();

  await page.locator('app-user-card .user-name').click();
  const panel = overlay(page).locator('.panel[data-mode="annotate"]');
  await panel.waitFor({ state: 'visible', ...WAIT });
  assert.equal(await panel.locator('[data-field="name"]').textContent(), 'UserCard');
  // Where the clicked element is written: its line in the template (Angular's source locations).
  assert.equal(await panel.locator('[data-field="file"]').textContent(), 'src/app/user-card/user-card.html:2');
  const items = await panel.locator('[data-field="inputs"] li').allTextContents();
  assert.deepEqual(items.slice(0, 5).map((s) => s.split(':')[0]), ['name', 'age', 'tags', 'address', 'joined']);
  assert.match(items[4], /joined: "2021-03-14T00:00:00\.000Z"/);
  assert.equal(items[5], '2 more');
  assert.equal(items.length, 6);
  // Beside the component (it spans most of the row here, so the panel may flip), inside the viewport.
  const p = await panel.boundingBox();
  const side = await panel.getAttribute('data-side');
  assert.ok(['right', 'left', 'below', 'above'].includes(side), side);
  assert.ok(p.x >= 0 && p.y >= 0 && p.x + p.width <= 1280 && p.y + p.height <= 900, JSON.stringify(p));
  if (side === 'below') assert.ok(p.y >= a.y + a.height, JSON.stringify({ p, a }));
  if (side === 'right') assert.ok(p.x >= a.x + a.width, JSON.stringify({ p, a }));
  await shot(page, 'angular-annotate-panel');
});
