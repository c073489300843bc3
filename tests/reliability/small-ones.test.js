// Issue 11 items 5 and 6 against the real binary: what /mcp lets in, Host
// spellings, absolute-form targets, two Host headers, JSON-RPC ids echoed
// exactly however large or spelt, and a root path that is not UTF-8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as netConnect } from 'node:net';
import { mkdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { startServe, withDeadline } from '../integration/lib/serve.js';
import { mcpRequest, rawSession, INIT } from '../integration/lib/mcp-http.js';
import { BIN } from '../integration/lib/cli.js';

// One raw request; resolves with the status code of the answer.
function rawStatus(port, text) {
  return withDeadline(new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1', () => socket.write(text));
    let data = '';
    socket.setEncoding('latin1').on('data', (chunk) => {
      data += chunk;
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m) { socket.destroy(); resolve(Number(m[1])); }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(null));
  }), 'a raw answer');
}

test('Host and request-target spellings', async (t) => {
  const server = await startServe(t);
  const get = (target, host) => rawStatus(server.port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  for (const host of [`localhost:${server.port}@evil.com`, 'localhost:evil', `localhost:${server.port}/x`]) {
    assert.notEqual(await get('/__annotate/health', host), 200, host);
  }
  assert.equal(await get('/__annotate/health', `localhost:${server.port}`), 200);
  assert.equal(await rawStatus(server.port,
    `GET /__annotate/health HTTP/1.1\r\nHost: localhost:${server.port}\r\nHost: evil.com\r\n\r\n`), 400);
  assert.equal(await get('http://evil.com/__annotate/health', `localhost:${server.port}`), 403);
  assert.equal(await get(`http://127.0.0.1:${server.port}/__annotate/health`, `localhost:${server.port}`), 200);
});

test('/mcp: foreign origins 403 (even loopback ones), no Content-Type 415, agents let in', async (t) => {
  const server = await startServe(t, { args: ['--allow-origin', 'http://localhost:6274'] });
  const post = (headers) => mcpRequest(server.port, { body: INIT, headers });
  assert.equal((await post({ Origin: 'http://localhost:5173' })).status, 403);
  assert.equal((await post({ Origin: `https://127.0.0.1:${server.port}` })).status, 403);
  assert.equal((await post({ 'Content-Type': '' })).status, 415);
  assert.equal((await post({ 'Content-Type': 'text/plain' })).status, 415);
  assert.equal((await post({})).status, 200);
  assert.equal((await post({ Origin: `http://127.0.0.1:${server.port}` })).status, 200);
  assert.equal((await post({ Origin: 'http://localhost:6274' })).status, 200);
});

// Any valid JSON number text is echoed verbatim, whatever its size or
// spelling: 12345678901234567890123 once came back as 1.2345678901234568E22.
const IDS = ['12345678901234567890123', '9007199254740993', '18446744073709551617', '1e400', '-0', '1.50', '7'];
const message = (id, method) => `{"jsonrpc":"2.0","id":${id},"method":"${method}"}`;
// The id's characters in a response's text, found without JSON.parse (which
// would round them).
const idText = (text) => /"id":([^,}]*)/.exec(text)?.[1];
const idTexts = (text) => [...text.matchAll(/"id":([^,}]*)/g)].map((m) => m[1]);

test('JSON-RPC ids over stdio: numbers echoed exactly as written, in results, errors and batches', async (t) => {
  const dir = `${tmpdir()}/nga-ids-${process.pid}`;
  mkdirSync(dir, { recursive: true });
  t.after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
  const lines = [
    ...IDS.map((id) => message(id, 'ping')),
    ...IDS.map((id) => message(id, 'no/such')),
    `[${IDS.map((id, i) => message(id, i % 2 ? 'no/such' : 'ping')).join(',')}]`,
    message('"1.50"', 'ping'),
  ].join('\n') + '\n';
  const r = spawnSync(BIN, ['mcp', '--root', dir], { input: lines, encoding: 'utf8', timeout: 10000 });
  const out = r.stdout.trim().split('\n');
  assert.equal(out.length, 2 * IDS.length + 2, r.stdout + r.stderr);
  IDS.forEach((id, i) => {
    assert.equal(idText(out[i]), id, out[i]);
    assert.match(out[i], /"result":\{\}/);
    assert.equal(idText(out[IDS.length + i]), id, out[IDS.length + i]);
    assert.match(out[IDS.length + i], /"error":\{"code":-32601/);
  });
  const batch = out[2 * IDS.length];
  assert.deepEqual(idTexts(batch), IDS, batch);
  assert.equal(JSON.parse(batch).filter((x) => x.error?.code === -32601).length, Math.floor(IDS.length / 2));
  assert.equal(idText(out[2 * IDS.length + 1]), '"1.50"');
});

test('JSON-RPC ids over HTTP /mcp: numbers echoed exactly as written, in results, errors and batches', async (t) => {
  const server = await startServe(t);
  const session = await rawSession(server.port);
  const post = (body) => mcpRequest(server.port, { body, headers: { 'Mcp-Session-Id': session } });
  for (const id of IDS) {
    for (const [method, shape] of [['ping', /"result":\{\}/], ['no/such', /"error":\{"code":-32601/]]) {
      const r = await post(message(id, method));
      assert.equal(r.status, 200, r.body);
      assert.equal(idText(r.body), id, r.body);
      assert.match(r.body, shape);
    }
  }
  const r = await post(`[${IDS.map((id, i) => message(id, i % 2 ? 'no/such' : 'ping')).join(',')}]`);
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(idTexts(r.body), IDS, r.body);
});

test('a root that is not UTF-8: a clear error, not invalid JSON', async (t) => {
  const dir = Buffer.concat([Buffer.from(`${tmpdir()}/nga-bad-${process.pid}-`), Buffer.from([0xff])]);
  mkdirSync(dir, { recursive: true });
  t.after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
  // Through a shell: Node turns a Buffer argument into a UTF-8 string.
  const r = spawnSync('bash', ['-c', 'exec "$0" serve --root "$(printf "%s\\xff" "$1")" --port 0',
    BIN, dir.subarray(0, dir.length - 1).toString()], { encoding: 'utf8', timeout: 10000 });
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /is not valid UTF-8/);
});
