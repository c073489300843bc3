// The overlay loaded by @ng-annotate/vite-plugin in headless Chromium, on the
// create-vite Vite 8 fixture app: nothing added to the app but the plugin
// line in vite.config.js. An annotation made in the page reaches the store,
// a CSS edit still hot-updates the page, and a killed daemon is replaced
// while the page reconnects by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { launch, listStored, newPage, overlay, overlayReady } from './lib/browser.js';
import { FIXTURES, alive, daemonFile, healthVia, killDaemonsAfter, project, startVite, until } from '../integration/lib/vite.js';

const WAIT = { timeout: 20000 };

test('Vite 8 + plugin: the overlay loads same-origin and an annotation reaches the store', async (t) => {
  const root = realpathSync(project(t, 'vite8'));
  const note = killDaemonsAfter(t, root);
  const vite = await startVite(t, 'vite8', root);
  const browser = await launch(t);
  const page = await newPage(browser);
  const annotateRequests = [];
  page.on('request', (r) => { if (r.url().includes('__annotate')) annotateRequests.push(r.url()); });
  await page.goto(`${vite.url}/`);
  await overlayReady(page, WAIT.timeout);
  note();
  assert.ok(annotateRequests.length > 0 && annotateRequests.every((u) => u.startsWith(vite.url)),
    `every /__annotate request went to the Vite origin: ${annotateRequests}`);

  await page.keyboard.press('Alt+Shift+KeyA');
  await page.waitForFunction(() => window.__ngAnnotate.state.inspecting, null, WAIT);
  await page.locator('#counter').click();
  const area = overlay(page).locator('.panel[data-mode="annotate"] textarea');
  await area.fill('make the counter button bigger');
  await area.press('Control+Enter');
  const [stored] = await until(() => {
    const list = listStored(root);
    return list.length ? list : null;
  }, 'the annotation in the store');
  assert.equal(stored.annotationText, 'make the counter button bigger');
  assert.equal(new URL(stored.pageUrl).origin, vite.url);

  // HMR still works beside the overlay: a CSS edit applies without a reload.
  await page.evaluate(() => { window.__beforeEdit = true; });
  appendFileSync(join(root, FIXTURES.vite8.css), '\nbody { background-color: rgb(1, 2, 3); }\n');
  await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)', null, WAIT);
  assert.equal(await page.evaluate(() => window.__beforeEdit), true, 'hot-updated, not reloaded');

  // A daemon that dies is replaced; the overlay reconnects on its own.
  const first = daemonFile(root).pid;
  process.kill(first, 'SIGKILL');
  await until(() => { const info = daemonFile(root); return info && info.pid !== first && alive(info.pid); }, 'a new daemon');
  note();
  // The page's socket is the only one: the new daemon counting it means the page reconnected.
  await until(async () => (await healthVia(vite.port))?.socketsConnected === 1, 'the page to reconnect to the new daemon');
  await page.waitForFunction(() => window.__ngAnnotate.connected, null, WAIT);
  await until(async () => (await page.evaluate(() => window.__ngAnnotate.state.annotations.size)) === 1,
    'the stored annotation back in the page');
  await vite.close();
});
