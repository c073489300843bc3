// serve --proxy in front of a real Vite dev server (a plain create-vite app,
// tests/fixtures/proxy-vite-app, no ng-annotate plugin): the page gets the
// overlay, Vite's HMR socket connects through the proxy and hot-updates, and
// Vite's allowedHosts check does not reject proxied requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'node:http';
import { startServe, withDeadline } from './lib/serve.js';
import { launch, overlayReady } from '../e2e/lib/browser.js';

const FIXTURE = resolve(fileURLToPath(import.meta.url), '../../fixtures/proxy-vite-app');
const VITE = join(FIXTURE, 'node_modules/vite/bin/vite.js');

// A copy of the fixture (its node_modules linked) that the test may edit.
function appCopy(t) {
  const dir = mkdtempSync(join(tmpdir(), 'nga-proxy-vite-'));
  t.after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
  cpSync(FIXTURE, dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  symlinkSync(join(FIXTURE, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

// `vite --port 0 --host localhost` in `root`; resolves with its URL.
async function startVite(t, root) {
  const child = spawn(process.execPath, [VITE, '--port', '0', '--strictPort', '--host', 'localhost'], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  const url = await withDeadline(new Promise((resolve, reject) => {
    const onData = (chunk) => {
      out += chunk;
      const match = out.replace(/\x1b\[[0-9;]*m/g, '').match(/Local:\s+(http:\/\/\S+?)\/?\s/);
      if (match) resolve(match[1]);
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => reject(new Error(`vite exited (${code}): ${out}`)));
  }), 'vite to listen', 30000);
  return { url, port: Number(new URL(url).port) };
}

function get(port, path, headers = {}) {
  return withDeadline(new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, setHost: !('Host' in headers) }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  }), `GET ${path}`, 15000);
}

test('serve --proxy in front of a real Vite dev server', async (t) => {
  assert.ok(existsSync(VITE), `${VITE} is missing: run make setup`);
  const root = appCopy(t);
  const vite = await startVite(t, root);
  const proxy = await startServe(t, { root, args: ['--proxy', vite.url, '--allow-host', 'devbox.test'], ms: 10000 });

  await t.test('the page comes through with the overlay tag and Vite\'s client', async () => {
    const page = await get(proxy.port, '/');
    assert.equal(page.status, 200);
    assert.match(page.body, /<script src="\/__annotate\/client.js"><\/script><\/head>/);
    assert.match(page.body, /\/@vite\/client/);
    assert.equal(Number(page.headers['content-length']), Buffer.byteLength(page.body));
    const module = await get(proxy.port, '/src/main.js');
    assert.equal(module.status, 200);
    assert.match(module.headers['content-type'], /javascript/);
  });

  await t.test('Vite\'s allowedHosts does not reject a proxied request', async () => {
    // Vite itself refuses that name...
    const direct = await get(vite.port, '/', { Host: 'devbox.test' });
    assert.equal(direct.status, 403);
    assert.match(direct.body, /allowedHosts|not allowed/i);
    // ...but through the proxy (which allows it) Vite sees its own host.
    const proxied = await get(proxy.port, '/', { Host: `devbox.test:${proxy.port}` });
    assert.equal(proxied.status, 200);
    assert.match(proxied.body, /__annotate\/client\.js/);
  });

  await t.test('in Chromium: overlay connected, Vite\'s HMR socket connects and hot-updates through the proxy', async () => {
    const browser = await launch(t);
    const page = await browser.newPage();
    const viteConnected = page.waitForEvent('console', {
      predicate: (m) => m.text().includes('[vite] connected'), timeout: 15000,
    });
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`http://127.0.0.1:${proxy.port}/`);
    await overlayReady(page);
    await page.waitForFunction(() => document.querySelector('#counter'), null, { timeout: 15000 });
    await viteConnected;
    assert.ok(sockets.some((u) => u.startsWith(`ws://127.0.0.1:${proxy.port}/`) && !u.includes('/__annotate')),
      `Vite's HMR socket went through the proxy: ${sockets.join(', ')}`);

    // A CSS edit hot-updates the page without a reload.
    await page.evaluate(() => { window.__ngaMarker = 'kept'; });
    appendFileSync(join(root, 'src/style.css'), '\nbody { border-top: 7px solid rgb(1, 2, 3); }\n');
    await page.waitForFunction(() => getComputedStyle(document.body).borderTopWidth === '7px', null, { timeout: 15000 });
    assert.equal(await page.evaluate(() => window.__ngaMarker), 'kept', 'hot update, not a reload');
  });
});
