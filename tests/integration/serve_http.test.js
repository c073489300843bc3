// `ng-annotate serve` over plain HTTP: the listening line, the /__annotate
// routes, Host/Origin checks, shutdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { Client, startServe, rawRequest, withDeadline } from './lib/serve.js';
import { run, tempRoot, BIN, binaryPath, STOP_SIGNALS } from './lib/cli.js';
import { spawn } from 'node:child_process';

test('prints one machine-readable listening line on stdout', async (t) => {
  const root = tempRoot(t);
  const server = await startServe(t, { root });
  assert.equal(server.event, 'listening');
  assert.ok(Number.isInteger(server.port) && server.port > 0);
  assert.equal(server.url, `http://127.0.0.1:${server.port}`);
  assert.equal(server.root, realpathSync(root));
  assert.equal(server.store, join(realpathSync(root), '.ng-annotate', 'store.db'));
});

test('GET /__annotate/health reports version, paths and connections', async (t) => {
  const server = await startServe(t);
  const before = await rawRequest(server.port, { path: '/__annotate/health' });
  assert.equal(before.status, 200);
  assert.match(before.headers['content-type'], /application\/json/);
  const health = JSON.parse(before.body);
  assert.match(health.version, /^\d+\.\d+\.\d+/);
  assert.equal(health.root, binaryPath(server.root));
  assert.equal(health.store, binaryPath(server.store));
  assert.equal(health.sessionsConnected, 0);
  assert.equal(health.lastAgentHeartbeat, null);

  const client = await Client.connect(server.wsUrl);
  await client.handshake();
  const after = JSON.parse((await rawRequest(server.port, { path: '/__annotate/health' })).body);
  assert.equal(after.sessionsConnected, 1);
  assert.equal(after.socketsConnected, 1);
  await client.close();
});

// client.js is what a page loads; capture.js the rest, which it loads on first use.
for (const [path, marker] of [['/__annotate/client.js', 'ng-annotate overlay (SPEC'], ['/__annotate/capture.js', 'loaded on first use']]) {
  test(`GET ${path} serves its script with an ETag, 304 when unchanged`, async (t) => {
    const server = await startServe(t);
    const first = await rawRequest(server.port, { path });
    assert.equal(first.status, 200);
    assert.match(first.headers['content-type'], /^application\/javascript/);
    assert.ok(first.body.includes(marker), `${path} is the script it names`);
    const etag = first.headers.etag;
    assert.match(etag, /^".+"$/);

    const again = await rawRequest(server.port, { path, headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, etag);

    const stale = await rawRequest(server.port, { path, headers: { 'If-None-Match': '"something-else"' } });
    assert.equal(stale.status, 200);
  });
}

test('GET /__annotate/manifest is an empty object in a project without components', async (t) => {
  const server = await startServe(t);
  const res = await rawRequest(server.port, { path: '/__annotate/manifest' });
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse(res.body), {});
});

test('unknown paths are 404, other methods 405', async (t) => {
  const server = await startServe(t);
  assert.equal((await rawRequest(server.port, { path: '/' })).status, 404);
  assert.equal((await rawRequest(server.port, { path: '/__annotate/nope' })).status, 404);
  assert.equal((await rawRequest(server.port, { path: '/__annotate' })).status, 404);
  const post = await rawRequest(server.port, { method: 'POST', path: '/__annotate/health' });
  assert.equal(post.status, 405);
});

test('a foreign Host gets 403 on HTTP and on the upgrade (DNS rebinding)', async (t) => {
  const server = await startServe(t);
  const http = await rawRequest(server.port, {
    path: '/__annotate/health', headers: { Host: `evil.example:${server.port}` },
  });
  assert.equal(http.status, 403);
  assert.match(http.body, /^forbidden: host 'evil\.example' is not allowed.*\n$/);
  assert.equal(http.body.trim().split('\n').length, 1);

  await assert.rejects(
    Client.connect(server.wsUrl, { headers: { Host: `evil.example:${server.port}` } }),
    (error) => error.statusCode === 403);
  for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`]) {
    const ok = await rawRequest(server.port, { path: '/__annotate/health', headers: { Host: host } });
    assert.equal(ok.status, 200, host);
  }
});

test('a cross-origin page gets 403; loopback and same origins pass', async (t) => {
  const server = await startServe(t);
  await assert.rejects(
    Client.connect(server.wsUrl, { headers: { Origin: 'https://evil.example' } }),
    (error) => error.statusCode === 403);
  await assert.rejects(
    Client.connect(server.wsUrl, { headers: { Origin: 'null' } }),
    (error) => error.statusCode === 403);
  const http = await rawRequest(server.port, {
    path: '/__annotate/health', headers: { Origin: 'http://evil.example' },
  });
  assert.equal(http.status, 403);
  assert.match(http.body, /origin 'http:\/\/evil\.example' is not allowed/);

  for (const origin of ['http://localhost:4200', 'http://127.0.0.1:5173', `http://127.0.0.1:${server.port}`]) {
    const client = await Client.connect(server.wsUrl, { headers: { Origin: origin } });
    await client.handshake();
    await client.close();
  }
});

test('--allow-origin and --allow-host admit the named origin and host', async (t) => {
  const server = await startServe(t, {
    args: ['--allow-origin', 'https://dev.example.com:8443', '--allow-host', 'dev.example.com'],
  });
  const client = await Client.connect(server.wsUrl, {
    headers: { Origin: 'https://dev.example.com:8443', Host: 'dev.example.com:8443' },
  });
  await client.handshake();
  await client.close();
  // The page's own origin, through an allowed host, passes too.
  const same = await rawRequest(server.port, {
    path: '/__annotate/health',
    headers: { Host: 'dev.example.com:9999', Origin: 'http://dev.example.com:9999' },
  });
  assert.equal(same.status, 200);
  const other = await rawRequest(server.port, {
    path: '/__annotate/health',
    headers: { Host: 'dev.example.com:8443', Origin: 'https://other.example.com' },
  });
  assert.equal(other.status, 403);
});

test('a port in use fails with one clear line and exit code 1', async (t) => {
  const blocker = createServer();
  await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => blocker.close());
  const r = run(['serve', '--root', tempRoot(t), '--port', String(blocker.address().port)]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  // One line (Windows' C runtime ends it with \r\n).
  assert.match(r.stderr, /^ng-annotate: cannot listen on 127\.0\.0\.1:\d+: bind: .+\r?\n$/);
});

test('a non-loopback --host prints a warning', async (t) => {
  const server = await startServe(t, { args: ['--host', '0.0.0.0'] });
  // stderr and stdout are separate pipes: the warning may arrive after the listening line.
  await withDeadline(new Promise((resolve) => {
    const check = () => { if (/warning: listening on 0\.0\.0\.0/.test(server.stderr())) resolve(); else return false; };
    if (check() === false) server.child.stderr.on('data', check);
  }), 'the warning on stderr');
  assert.match(server.stderr(), /warning: listening on 0\.0\.0\.0/);
  assert.equal(server.url, `http://0.0.0.0:${server.port}`);
});

for (const signal of STOP_SIGNALS) {
  test(`${signal} closes sockets with 1001 and exits 0`, async (t) => {
    const server = await startServe(t);
    const client = await Client.connect(server.wsUrl);
    await client.handshake();
    const closed = client.waitClose();
    const exit = await server.stop(signal);
    assert.equal((await closed).code, 1001);
    assert.deepEqual(exit, { code: 0, signal: null });
  });
}

test('a usage error exits 2', () => {
  const r = run(['serve', '--port', 'not-a-number']);
  assert.equal(r.status, 2);
});
