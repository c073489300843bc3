// Issue 21 items 1, 6 and 7, the red team's cases against the real binary:
//   1. `ng-annotate mcp` ends (exit 0) on EOF at any point, and on SIGTERM or
//      SIGINT in every state: `true | ng-annotate mcp` once ran until SIGKILL;
//   6. initialize calls that never made a request cannot lock a new agent out
//      of /mcp, and an agent that keeps using its session is never evicted;
//   7. POST /__annotate/origins keeps at most 256 origins and answers only
//      what the request named.
// Every wait is bounded: a process that does not exit fails the test, and
// is killed after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import { BIN, tempRoot } from '../integration/lib/cli.js';
import { Client, startServe, withDeadline } from '../integration/lib/serve.js';
import { connectHttp, mcpRequest, rawSession, INIT } from '../integration/lib/mcp-http.js';

// Generous for a machine with both cores busy; the old binary took 10 s
// (a locked store) or forever.
const EXIT_MS = 5000;

// ---- item 1: `ng-annotate mcp` over stdio ------------------------------------------

// `ng-annotate mcp --root <root>` with its stdio on pipes; killed after the test.
function spawnMcp(t, root) {
  const child = spawn(BIN, ['mcp', '--root', root], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  child.stdin.on('error', () => {}); // EPIPE once it has gone
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await withDeadline(exited, 'mcp to exit after SIGKILL').catch(() => {});
  });
  return { child, exited, stderr: () => stderr };
}

// Resolves with {code, signal} once it has exited; fails after EXIT_MS.
function exitOf(mcp, what) {
  return withDeadline(mcp.exited, `mcp to exit ${what} (stderr: ${mcp.stderr()})`, EXIT_MS);
}

// The next JSON line the server writes.
function nextLine(child) {
  return withDeadline(new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end < 0) return;
      child.stdout.off('data', onData);
      resolve(JSON.parse(text.slice(0, end)));
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.once('exit', () => reject(new Error('mcp exited before answering')));
  }), 'an answer from mcp');
}

const INIT_LINE = `${JSON.stringify(INIT)}\n`;

async function initialize(child) {
  child.stdin.write(INIT_LINE);
  const answer = await nextLine(child);
  assert.equal(answer.id, 1);
  assert.equal(answer.result.serverInfo.name, 'ng-annotate');
}

// A store another process holds locked: `sqlite3` keeps an EXCLUSIVE
// transaction open on it (rollback journal, so readers wait too), and
// ng-annotate's open waits out its 10 s busy timeout. Released after the test.
async function lockedStore(t, root) {
  mkdirSync(join(root, '.ng-annotate'), { recursive: true });
  const holder = spawn('sqlite3', [join(root, '.ng-annotate', 'store.db')], { stdio: ['pipe', 'pipe', 'pipe'] });
  const gone = new Promise((resolve) => holder.once('exit', resolve));
  t.after(async () => {
    holder.stdin.end();
    await withDeadline(gone, 'sqlite3 to exit', EXIT_MS).catch(() => holder.kill('SIGKILL'));
  });
  holder.stdin.write("PRAGMA journal_mode = DELETE;\nCREATE TABLE hold(x);\nBEGIN EXCLUSIVE;\n"
    + "INSERT INTO hold VALUES (1);\nSELECT 'locked';\n");
  await withDeadline(new Promise((resolve, reject) => {
    let out = '';
    holder.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (out.includes('locked')) resolve();
    });
    holder.once('exit', (code) => reject(new Error(`sqlite3 exited (${code}) before locking`)));
  }), 'sqlite3 to lock the store');
}

// The official SDK client over a process we spawned (so the test keeps its
// pid and exit status): the SDK's own line framing on the child's pipes.
class ChildTransport {
  constructor(child) { this.child = child; this.buffer = new ReadBuffer(); }
  async start() {
    this.child.stdout.on('data', (chunk) => {
      this.buffer.append(chunk);
      for (let message; (message = this.buffer.readMessage()) !== null;) this.onmessage?.(message);
    });
    this.child.once('exit', () => this.onclose?.());
  }
  async send(message) { this.child.stdin.write(serializeMessage(message)); }
  async close() { this.child.stdin.end(); }
}

async function sdkClient(child) {
  const client = new McpClient({ name: 'hardening', version: '1.0.0' });
  await withDeadline(client.connect(new ChildTransport(child)), 'the SDK initialize handshake');
  return client;
}

// `true | ng-annotate mcp --root <root>`, the red team's case: stdin is a pipe
// already at EOF when mcp starts (a Node pipe ended after spawn may reach it
// later). Resolves with {code, signal} of mcp, through the shell that waits
// for it; mcp itself (its pid printed first) is killed after the test.
async function mcpAfterClosedPipe(t, root) {
  const shell = spawn('sh', ['-c', 'true | "$0" mcp --root "$1" & echo $!; wait $!', BIN, root],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  shell.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => shell.once('exit', (code, signal) => resolve({ code, signal })));
  const pid = await withDeadline(new Promise((resolve) => {
    shell.stdout.setEncoding('utf8').once('data', (chunk) => resolve(Number(chunk.trim())));
  }), 'the pid of mcp');
  t.after(async () => {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    await withDeadline(exited, 'the shell to exit').catch(() => {});
  });
  return { exited, stderr: () => stderr };
}

test('mcp exits 0 on EOF before the first byte (`true | ng-annotate mcp`)', async (t) => {
  const mcp = await mcpAfterClosedPipe(t, tempRoot(t));
  assert.deepEqual(await exitOf(mcp, 'after EOF before the first byte'), { code: 0, signal: null });
});

test('mcp exits 0 on EOF right after initialize', async (t) => {
  const mcp = spawnMcp(t, tempRoot(t));
  await initialize(mcp.child);
  mcp.child.stdin.end();
  assert.deepEqual(await exitOf(mcp, 'after EOF right after initialize'), { code: 0, signal: null });
});

test('mcp exits 0 on EOF while its store is opening (held locked by another process)', async (t) => {
  const root = tempRoot(t);
  await lockedStore(t, root);
  const early = await mcpAfterClosedPipe(t, root);
  assert.deepEqual(await exitOf(early, 'after EOF before the first byte, store locked'), { code: 0, signal: null });

  const mcp = spawnMcp(t, root);
  await initialize(mcp.child); // answered without the store
  mcp.child.stdin.end();
  assert.deepEqual(await exitOf(mcp, 'after EOF while the store opens'), { code: 0, signal: null });
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  test(`mcp exits 0 on ${signal} while idle before any input`, async (t) => {
    const root = tempRoot(t);
    const mcp = spawnMcp(t, root);
    // The store opens at start without waiting for input; give it time to.
    await new Promise((resolve) => setTimeout(resolve, 500));
    mcp.child.kill(signal);
    assert.deepEqual(await exitOf(mcp, `on ${signal} before any input`), { code: 0, signal: null });
  });

  test(`mcp exits 0 on ${signal} while its store is opening`, async (t) => {
    const root = tempRoot(t);
    await lockedStore(t, root);
    const mcp = spawnMcp(t, root);
    // The store opens at start; held locked, it stays opening for 10 s.
    await new Promise((resolve) => setTimeout(resolve, 300));
    mcp.child.kill(signal);
    assert.deepEqual(await exitOf(mcp, `on ${signal} while the store opens`), { code: 0, signal: null });
  });

  test(`mcp exits 0 on ${signal} after initialize (official SDK client)`, async (t) => {
    const mcp = spawnMcp(t, tempRoot(t));
    const client = await sdkClient(mcp.child);
    await withDeadline(client.listTools(), 'tools/list');
    mcp.child.kill(signal);
    assert.deepEqual(await exitOf(mcp, `on ${signal} after initialize`), { code: 0, signal: null });
  });

  test(`mcp exits 0 on ${signal} while a watch_annotations is blocked`, async (t) => {
    const mcp = spawnMcp(t, tempRoot(t));
    const client = await sdkClient(mcp.child);
    const watch = client.callTool({ name: 'watch_annotations', arguments: { timeoutMs: 60000 } },
      undefined, { timeout: 120000 });
    watch.catch(() => {}); // ends with the connection
    // The call is blocked once a later request has been answered after it.
    await withDeadline(client.ping(), 'a ping behind the blocked watch');
    mcp.child.kill(signal);
    assert.deepEqual(await exitOf(mcp, `on ${signal} during a blocked watch`), { code: 0, signal: null });
    await assert.rejects(withDeadline(watch, 'the watch to end'));
  });
}

// ---- item 6: /mcp sessions ----------------------------------------------------------

test('/mcp: a thousand initialize calls that led nowhere do not lock a new agent out', async (t) => {
  const server = await startServe(t);
  // An agent at work before the flood: it made a request after initialize.
  const agent = await rawSession(server.port);
  const ping = (session) => mcpRequest(server.port, {
    headers: { 'Mcp-Session-Id': session }, body: { jsonrpc: '2.0', id: 9, method: 'ping' },
  });
  assert.equal((await ping(agent)).status, 200);
  // Fill the table (1 000 sessions) and more: initialize, then nothing.
  for (let i = 0; i < 1020; i++) {
    const answer = await mcpRequest(server.port, { body: INIT });
    assert.equal(answer.status, 200, `initialize ${i}: ${answer.body}`);
    if (i % 250 === 0) assert.equal((await ping(agent)).status, 200, `the agent, at ${i}`);
  }
  // A new agent gets in (the old binary answered 503 for ten minutes) and works.
  const { client } = await connectHttp(t, server.port, 'newcomer');
  const { tools } = await withDeadline(client.listTools(), 'tools/list');
  assert.ok(tools.some((tool) => tool.name === 'watch_annotations'));
  // The agent that kept using its session still has it.
  assert.equal((await ping(agent)).status, 200);
});

// ---- item 7: registered origins -------------------------------------------------------

function postOrigins(port, origins) {
  return withDeadline(new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/__annotate/origins',
      headers: { 'Content-Type': 'application/json' } });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ origins }));
  }), 'POST /__annotate/origins');
}

const origin = (i) => `http://localhost:${20000 + i}`;

test('registered origins are capped at 256, oldest dropped and logged; answers name only the request\'s', async (t) => {
  const server = await startServe(t, { args: ['--strict-origins'] });
  const counts = [];
  for (let batch = 0; batch < 4; batch++) {
    const named = Array.from({ length: 100 }, (_, i) => origin(batch * 100 + i));
    const answer = await postOrigins(server.port, named);
    assert.equal(answer.status, 200, answer.body);
    const body = JSON.parse(answer.body);
    assert.deepEqual(body.origins, named, 'the answer names what this request registered, no more');
    assert.equal(body.limit, 256);
    counts.push(body.registered);
  }
  assert.deepEqual(counts, [100, 200, 256, 256]);
  // The 144 least recently registered made room, with a line on stderr.
  await withDeadline((async () => {
    while (!/registered origins are limited to 256: dropped/.test(server.stderr())) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })(), 'the log line about dropped origins');
  assert.match(server.stderr(), new RegExp(`dropped 44, the least recently registered \\(${origin(0)} through ${origin(43)}\\)`));
  const refused = Client.connect(server.wsUrl, { headers: { Origin: origin(0) } });
  await assert.rejects(refused, (error) => error.statusCode === 403, 'the oldest origin was dropped');
  for (const kept of [origin(144), origin(399)]) {
    const page = await Client.connect(server.wsUrl, { headers: { Origin: kept } });
    assert.equal((await page.handshake()).first.type, 'session:created', kept);
    await page.close();
  }
  // More than the cap in one request: refused whole, nothing registered.
  const tooMany = await postOrigins(server.port, Array.from({ length: 257 }, (_, i) => origin(1000 + i)));
  assert.equal(tooMany.status, 400);
  assert.match(JSON.parse(tooMany.body).error, /at most 256/);
  assert.equal(JSON.parse((await postOrigins(server.port, [])).body).registered, 256);
  assert.equal((await mcpRequest(server.port, { method: 'GET', path: '/__annotate/health' })).status, 200);
});
