// C1 on the daemon side: .ng-annotate/daemon.json, --strict-origins and
// POST /__annotate/origins, against the real `serve`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempRoot } from './lib/cli.js';
import { Client, rawRequest, startServe, withDeadline } from './lib/serve.js';

const daemonFile = (root) => join(root, '.ng-annotate', 'daemon.json');

function postOrigins(port, body, headers = {}) {
  return import('node:http').then(({ request }) => withDeadline(new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/__annotate/origins',
      headers: { 'Content-Type': 'application/json', ...headers }, setHost: !('Host' in headers) });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
    });
    req.on('error', reject);
    req.end(typeof body === 'string' ? body : JSON.stringify(body));
  }), 'POST /__annotate/origins'));
}

test('serve writes daemon.json once listening and removes it on SIGTERM', async (t) => {
  const root = realpathSync(tempRoot(t));
  const serve = await startServe(t, { root });
  const info = JSON.parse(readFileSync(daemonFile(root), 'utf8'));
  assert.equal(info.pid, serve.child.pid);
  assert.equal(info.port, serve.port);
  assert.equal(info.url, `http://127.0.0.1:${serve.port}`);
  assert.equal(info.root, root);
  assert.match(info.version, /^\d+\.\d+\.\d+/);
  assert.ok(Math.abs(Date.parse(info.startedAt) - Date.now()) < 10 * 60 * 1000, info.startedAt);
  assert.deepEqual((await serve.stop()).code, 0);
  assert.equal(existsSync(daemonFile(root)), false);
});

test("a daemon leaves a daemon.json that names another pid in place", async (t) => {
  const root = realpathSync(tempRoot(t));
  const serve = await startServe(t, { root });
  const other = { pid: 999999999, port: 1, url: 'http://127.0.0.1:1', root };
  writeFileSync(daemonFile(root), JSON.stringify(other));
  await serve.stop();
  assert.deepEqual(JSON.parse(readFileSync(daemonFile(root), 'utf8')), other);
});

test('--strict-origins: loopback pages need registering; own and --allow-origin pass', async (t) => {
  const serve = await startServe(t, { args: ['--strict-origins', '--allow-origin', 'http://localhost:5999'] });
  const ws = serve.wsUrl;
  const refused = (origin) => assert.rejects(Client.connect(ws, { headers: { Origin: origin } }),
    (error) => error.statusCode === 403, origin);
  await refused('http://localhost:3000');
  await refused('http://127.0.0.1:5173');
  for (const origin of [`http://127.0.0.1:${serve.port}`, 'http://localhost:5999']) {
    const client = await Client.connect(ws, { headers: { Origin: origin } });
    assert.equal((await client.handshake()).first.type, 'session:created');
    await client.close();
  }

  const added = await postOrigins(serve.port, { origins: ['http://LOCALHOST:3000/', 'https://192.168.1.7:5173'] });
  assert.equal(added.status, 200, added.body);
  assert.deepEqual(JSON.parse(added.body),
    { origins: ['http://localhost:3000', 'https://192.168.1.7:5173'], registered: 2, limit: 256 });
  const client = await Client.connect(ws, { headers: { Origin: 'http://localhost:3000' } });
  assert.equal((await client.handshake()).first.type, 'session:created');
  await client.close();
  await refused('http://localhost:3001');
  // Registering again answers what it named, not the whole registry.
  const again = await postOrigins(serve.port, { origins: ['http://localhost:3000'] });
  assert.deepEqual(JSON.parse(again.body), { origins: ['http://localhost:3000'], registered: 2, limit: 256 });
});

test('without --strict-origins every loopback page still passes', async (t) => {
  const serve = await startServe(t);
  const client = await Client.connect(serve.wsUrl, { headers: { Origin: 'http://localhost:3000' } });
  assert.equal((await client.handshake()).first.type, 'session:created');
  await client.close();
});

test('POST /__annotate/origins refuses pages, foreign hosts, bad JSON and non-origins', async (t) => {
  const serve = await startServe(t, { args: ['--strict-origins'] });
  const fromPage = await postOrigins(serve.port, { origins: ['http://localhost:3000'] },
    { Origin: `http://127.0.0.1:${serve.port}` });
  assert.equal(fromPage.status, 403);
  assert.match(JSON.parse(fromPage.body).error, /not by pages/);
  assert.equal((await postOrigins(serve.port, { origins: [] }, { Host: 'evil.example' })).status, 403);
  for (const body of ['{nope', '{"origins":"http://a:1"}', '{"origins":["ftp://a"]}', '{"origins":[1]}', '[]']) {
    const answer = await postOrigins(serve.port, body);
    assert.equal(answer.status, 400, body);
    assert.ok(JSON.parse(answer.body).error.length > 0);
  }
  // A bad list registers nothing, not even its good entries.
  const mixed = await postOrigins(serve.port, { origins: ['http://localhost:3000', 'nope'] });
  assert.equal(mixed.status, 400);
  assert.deepEqual(JSON.parse((await postOrigins(serve.port, { origins: [] })).body),
    { origins: [], registered: 0, limit: 256 });
  assert.equal((await rawRequest(serve.port, { path: '/__annotate/origins' })).status, 405);
  // The server keeps working.
  assert.equal((await rawRequest(serve.port, { path: '/__annotate/health' })).status, 200);
});
