// The Vite plugin (packages/vite-plugin): a real Vite dev server, started
// programmatically, with `ng-annotate serve` behind it. Every wait is for an
// event, with a deadline; every server and daemon is ended after its test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { build, createLogger, createServer } from 'vite';
import ngAnnotate from '../../packages/vite-plugin/index.js';
import { BIN } from './lib/cli.js';
import { Client, payload, rawRequest, withDeadline } from './lib/serve.js';

const INDEX_HTML = `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>vite-plugin test</title></head>
  <body><h1 id="title">hello</h1><script type="module" src="/main.js"></script></body>
</html>
`;

// A temporary Vite project: index.html + main.js, removed after the test.
function project(t) {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'nga-vite-')));
  writeFileSync(join(root, 'index.html'), INDEX_HTML);
  writeFileSync(join(root, 'main.js'), "document.getElementById('title').textContent = 'hello from main.js';\n");
  t.after(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

function daemonState(root) {
  const file = join(root, '.ng-annotate', 'daemon.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Any daemon recorded for root is killed when the test ends, whatever happened.
function killDaemonAfter(t, root) {
  const pid = daemonState(root)?.pid;
  if (pid) t.after(() => { if (alive(pid)) process.kill(pid, 'SIGKILL'); });
  return pid;
}

// A Vite dev server on 127.0.0.1 and a free port with the plugin; closed after
// the test. Resolves with {server, port, errors}: errors logged by Vite's logger.
async function startVite(t, root, pluginOptions = {}) {
  const errors = [];
  const logger = createLogger('silent');
  logger.error = (message) => { errors.push(String(message)); };
  const server = await createServer({
    root,
    configFile: false,
    logLevel: 'silent',
    customLogger: logger,
    clearScreen: false,
    server: { port: 0, strictPort: false, host: '127.0.0.1', hmr: { overlay: false } },
    optimizeDeps: { noDiscovery: true, include: [] },
    plugins: [ngAnnotate({ binary: process.env.NG_ANNOTATE_BIN ?? BIN, ...pluginOptions })],
  });
  t.after(() => server.close());
  await withDeadline(server.listen(), 'Vite to listen');
  return { server, port: server.httpServer.address().port, errors };
}

async function healthVia(port) {
  const res = await rawRequest(port, { path: '/__annotate/health' });
  assert.equal(res.status, 200, res.body);
  return JSON.parse(res.body);
}

test('the page gets the overlay script; /__annotate HTTP goes to the daemon', async (t) => {
  const root = project(t);
  const { port } = await startVite(t, root);

  const page = await rawRequest(port, { path: '/' });
  assert.equal(page.status, 200);
  assert.match(page.body, /<script src="\/__annotate\/client\.js"><\/script>\s*<\/head>/);
  assert.equal(page.body.match(/__annotate\/client\.js/g).length, 1);
  assert.match(page.body, /\/main\.js/);

  const health = await healthVia(port);
  killDaemonAfter(t, root);
  assert.equal(health.root, root);
  assert.equal(health.store, join(root, '.ng-annotate', 'store.db'));

  const client = await rawRequest(port, { path: '/__annotate/client.js' });
  assert.equal(client.status, 200);
  assert.match(client.headers['content-type'], /^application\/javascript/);
  assert.ok(client.body.length > 0);
  assert.match(client.headers.etag, /^".+"$/);
  const again = await rawRequest(port, { path: '/__annotate/client.js', headers: { 'If-None-Match': client.headers.etag } });
  assert.equal(again.status, 304);

  assert.equal((await rawRequest(port, { path: '/__annotate/nope' })).status, 404);
  // Vite still serves everything else.
  const main = await rawRequest(port, { path: '/main.js' });
  assert.equal(main.status, 200);
  assert.match(main.body, /hello from main\.js/);
});

test('the /__annotate WebSocket through the Vite port: handshake and a create round trip', async (t) => {
  const root = project(t);
  const { port } = await startVite(t, root);
  const origin = `http://127.0.0.1:${port}`;
  const client = await Client.connect(`ws://127.0.0.1:${port}/__annotate`, {
    headers: { Origin: origin, Referer: `${origin}/` },
  });
  t.after(() => client.close());
  killDaemonAfter(t, root);

  const { first, second, third } = await client.handshake();
  assert.equal(first.type, 'session:created');
  assert.equal(first.session.url, `${origin}/`);
  assert.equal(second.type, 'manifest:update');
  assert.equal(third.type, 'annotations:sync');
  assert.deepEqual(third.annotations, []);

  client.send({ type: 'annotation:create', payload: payload('make the title bigger') });
  const created = await client.next('annotation:created');
  assert.equal(created.annotation.annotationText, 'make the title bigger');
  assert.equal(created.annotation.sessionId, first.session.id);
  assert.equal(created.annotation.status, 'pending');

  const health = await healthVia(port);
  assert.equal(health.socketsConnected, 1);
});

test('the daemon still refuses a foreign Origin and Host arriving through Vite', async (t) => {
  const root = project(t);
  const { port } = await startVite(t, root);
  await healthVia(port);
  killDaemonAfter(t, root);
  await assert.rejects(
    Client.connect(`ws://127.0.0.1:${port}/__annotate`, { headers: { Origin: 'https://evil.example' } }),
    (error) => error.statusCode === 403,
  );
  await assert.rejects(
    Client.connect(`ws://127.0.0.1:${port}/__annotate`, { headers: { Host: 'evil.example' } }),
    (error) => error.statusCode === 403,
  );
});

test("Vite's own HMR WebSocket is left alone", async (t) => {
  const root = project(t);
  const { port } = await startVite(t, root);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, 'vite-hmr');
  t.after(() => ws.terminate());
  const first = await withDeadline(new Promise((resolve, reject) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString())));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HMR upgrade refused: ${res.statusCode}`)));
  }), "Vite's HMR connected message");
  assert.equal(first.type, 'connected');
  assert.equal(ws.protocol, 'vite-hmr');
  killDaemonAfter(t, root);
});

test('a second Vite on the same root reuses the daemon; closing Vite stops the daemon it started', async (t) => {
  const root = project(t);
  const a = await startVite(t, root);
  await healthVia(a.port);
  const pid = killDaemonAfter(t, root);
  const state = daemonState(root);
  assert.ok(alive(pid));
  assert.equal(state.root, root);

  const b = await startVite(t, root);
  const client = await Client.connect(`ws://127.0.0.1:${a.port}/__annotate`);
  t.after(() => client.close());
  await client.handshake();
  // The socket opened through A is counted by the daemon B talks to.
  const viaB = await healthVia(b.port);
  assert.equal(viaB.root, root);
  assert.equal(viaB.socketsConnected, 1);
  assert.deepEqual(daemonState(root), state);

  // B only borrowed it: closing B leaves the daemon running.
  await withDeadline(b.server.close(), 'the second Vite to close');
  assert.ok(alive(pid));
  assert.equal((await healthVia(a.port)).root, root);

  // A started it: closing A stops it (close() waits for the exit) and forgets it.
  await withDeadline(a.server.close(), 'the first Vite to close');
  assert.equal(alive(pid), false);
  assert.equal(daemonState(root), null);
  await client.waitClose();
});

test('without a binary the dev server still runs and says why', async (t) => {
  const root = project(t);
  const { port, errors } = await startVite(t, root, { binary: join(root, 'no-such-ng-annotate') });
  const page = await rawRequest(port, { path: '/' });
  assert.equal(page.status, 200);
  const health = await rawRequest(port, { path: '/__annotate/health' });
  assert.equal(health.status, 503);
  assert.ok(errors.some((e) => /not an executable file/.test(e)), errors.join('\n'));
  assert.equal(daemonState(root), null);
});

test('vite build output carries nothing of ng-annotate', async (t) => {
  const root = project(t);
  const outDir = join(root, 'dist');
  await build({
    root,
    configFile: false,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
    plugins: [ngAnnotate({ binary: process.env.NG_ANNOTATE_BIN ?? BIN })],
  });
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /__annotate|ng-annotate/);
  for (const file of readdirSync(join(outDir, 'assets'))) {
    assert.doesNotMatch(readFileSync(join(outDir, 'assets', file), 'utf8'), /__annotate/);
  }
  assert.equal(existsSync(join(root, '.ng-annotate')), false);
});

test("a page served under another allowed host name: its own origin passes, others don't", async (t) => {
  const root = project(t);
  const { port, server } = await startVite(t, root);
  server.config.server.allowedHosts = ['myapp.test'];
  await healthVia(port);
  killDaemonAfter(t, root);
  const host = `myapp.test:${port}`;
  const client = await Client.connect(`ws://127.0.0.1:${port}/__annotate`, {
    headers: { Host: host, Origin: `http://${host}` },
  });
  t.after(() => client.close());
  const { first } = await client.handshake();
  assert.equal(first.type, 'session:created');
  await assert.rejects(
    Client.connect(`ws://127.0.0.1:${port}/__annotate`, { headers: { Host: host, Origin: 'http://other.test' } }),
    (error) => error.statusCode === 403,
  );
  await assert.rejects(
    Client.connect(`ws://127.0.0.1:${port}/__annotate`, { headers: { Host: 'unlisted.test', Origin: 'http://unlisted.test' } }),
    (error) => error.statusCode === 403,
  );
});

test('closing Vite while the daemon is still starting leaves no daemon behind', async (t) => {
  const root = project(t);
  const { server } = await startVite(t, root);
  await withDeadline(server.close(), 'Vite to close');
  const state = daemonState(root);
  assert.equal(state, null);
});

test('a Vite whose borrowed daemon went away starts its own (as after a config restart)', async (t) => {
  const root = project(t);
  const a = await startVite(t, root);
  await healthVia(a.port);
  const first = killDaemonAfter(t, root);
  const b = await startVite(t, root);
  await healthVia(b.port);
  await withDeadline(a.server.close(), 'the first Vite to close');
  assert.equal(alive(first), false);

  // HTTP through B: the refused connection makes B start a daemon of its own.
  assert.equal((await healthVia(b.port)).root, root);
  const second = killDaemonAfter(t, root);
  assert.ok(second && second !== first && alive(second));
  const client = await Client.connect(`ws://127.0.0.1:${b.port}/__annotate`);
  t.after(() => client.close());
  assert.equal((await client.handshake()).first.type, 'session:created');

  await withDeadline(b.server.close(), 'the second Vite to close');
  assert.equal(alive(second), false);
});
