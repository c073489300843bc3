// The browser protocol (SPEC §4) against the real binary, with the `ws`
// package playing the overlay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, startServe, payload, importStore, rawRequest, withDeadline } from './lib/serve.js';
import { BIN, run } from './lib/cli.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

async function connect(server, { sessionId, headers } = {}) {
  const url = sessionId ? `${server.wsUrl}?sessionId=${encodeURIComponent(sessionId)}` : server.wsUrl;
  const client = await Client.connect(url, { headers });
  const { session } = await client.handshake();
  client.session = session;
  return client;
}

async function create(client, text = 'make this button primary', extra = {}) {
  client.send({ type: 'annotation:create', payload: payload(text, extra) });
  return (await client.next('annotation:created')).annotation;
}

// Polls the health endpoint until predicate(health) holds (with a deadline).
async function healthUntil(server, predicate, what) {
  return withDeadline((async () => {
    for (;;) {
      const health = JSON.parse((await rawRequest(server.port, { path: '/__annotate/health' })).body);
      if (predicate(health)) return health;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })(), what);
}

function exportStore(root) {
  const r = run(['export', '--root', root]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function storedAnnotation(sessionId, fields = {}) {
  const now = new Date().toISOString();
  return {
    id: randomUUID(), sessionId, createdAt: now, updatedAt: now, status: 'pending', replies: [],
    componentName: 'CartComponent', componentFilePath: 'src/app/cart.component.ts',
    selector: 'app-cart', inputs: {}, domSnapshot: '<app-cart></app-cart>',
    componentTreePath: ['AppComponent'], annotationText: 'the total is wrong', ...fields,
  };
}

function storedSession(id, fields = {}) {
  const now = new Date().toISOString();
  return { id, createdAt: now, lastSeenAt: now, active: false, url: 'http://localhost:4200/', yoloMode: false, ...fields };
}

test('connect: session:created, manifest:update, annotations:sync, in that order', async (t) => {
  const server = await startServe(t);
  const client = await Client.connect(server.wsUrl, {
    headers: { Referer: 'http://localhost:4200/cart', Origin: 'http://localhost:4200' },
  });
  const { first, second, third } = await client.handshake();
  assert.equal(first.type, 'session:created');
  assert.match(first.session.id, /^[0-9a-f-]{36}$/);
  assert.equal(first.session.url, 'http://localhost:4200/cart');
  assert.equal(first.session.active, true);
  assert.equal(first.session.yoloMode, false);
  assert.match(first.session.createdAt, ISO);
  assert.deepEqual(second, { type: 'manifest:update', manifest: {} });
  assert.equal(third.type, 'annotations:sync');
  assert.deepEqual(third.annotations, []);
  await client.close();
});

test('without a Referer the session url is the Origin', async (t) => {
  const server = await startServe(t);
  const client = await connect(server, { headers: { Origin: 'http://127.0.0.1:5173' } });
  assert.equal(client.session.url, 'http://127.0.0.1:5173');
  await client.close();
});

test('?sessionId= restores a known session with its annotations; unknown ids get a new one', async (t) => {
  const server = await startServe(t);
  const first = await connect(server);
  const made = await create(first, 'restore me');
  await first.close();
  await healthUntil(server, (h) => h.sessionsConnected === 0, 'the session to go inactive');
  assert.equal(exportStore(server.root).sessions[first.session.id].active, false);

  const again = await Client.connect(`${server.wsUrl}?sessionId=${first.session.id}`);
  const { first: created, third: sync } = await again.handshake();
  assert.equal(created.type, 'session:created');
  assert.equal(created.session.id, first.session.id);
  assert.equal(created.session.active, true);
  assert.deepEqual(sync.annotations.map((a) => a.id), [made.id]);
  await again.close();

  const unknown = await connect(server, { sessionId: randomUUID() });
  assert.notEqual(unknown.session.id, first.session.id);
  await unknown.close();
});

test('annotation:create answers annotation:created; server-owned fields cannot be forged', async (t) => {
  const server = await startServe(t);
  const client = await connect(server);
  const annotation = await create(client, 'make it blue', {
    id: 'forged', sessionId: 'forged', status: 'resolved', replies: [{ message: 'x' }],
    createdAt: '2000-01-01T00:00:00.000Z', unknownField: 42,
  });
  assert.match(annotation.id, /^[0-9a-f-]{36}$/);
  assert.equal(annotation.sessionId, client.session.id);
  assert.equal(annotation.status, 'pending');
  assert.deepEqual(annotation.replies, []);
  assert.notEqual(annotation.createdAt, '2000-01-01T00:00:00.000Z');
  assert.equal(annotation.annotationText, 'make it blue');
  assert.equal(annotation.componentName, 'ButtonComponent');
  assert.equal('unknownField' in annotation, false);

  // The next sync carries it.
  const sync = await client.nextMatching((m) => m.type === 'annotations:sync', 'the 2 s sync', 5000);
  assert.deepEqual(sync.annotations.map((a) => a.id), [annotation.id]);
  await client.close();
});

test('annotation:reply appends a user reply', async (t) => {
  const server = await startServe(t);
  const client = await connect(server);
  const annotation = await create(client);
  client.send({ type: 'annotation:reply', id: annotation.id, message: 'also the border' });
  const { annotation: updated } = await client.next('annotation:updated');
  assert.equal(updated.id, annotation.id);
  assert.equal(updated.status, 'pending');
  assert.equal(updated.replies.length, 1);
  assert.equal(updated.replies[0].author, 'user');
  assert.equal(updated.replies[0].message, 'also the border');
  await client.close();
});

test('annotation:delete: own pending only; others get an error', async (t) => {
  const server = await startServe(t);
  const mine = await connect(server);
  const theirs = await connect(server);
  const a = await create(mine, 'first');
  const b = await create(theirs, 'not yours');

  mine.send({ type: 'annotation:delete', id: a.id });
  const { annotation: deleted } = await mine.next('annotation:updated');
  assert.equal(deleted.status, 'dismissed');

  mine.send({ type: 'annotation:delete', id: a.id });
  const again = await mine.next('error');
  assert.equal(again.code, 'wrong_status');
  assert.equal(again.requestType, 'annotation:delete');

  mine.send({ type: 'annotation:delete', id: b.id });
  const foreign = await mine.next('error');
  assert.equal(foreign.code, 'forbidden');

  mine.send({ type: 'annotation:reply', id: b.id, message: 'hi' });
  assert.equal((await mine.next('error')).code, 'forbidden');

  mine.send({ type: 'annotation:delete', id: randomUUID() });
  assert.equal((await mine.next('error')).code, 'not_found');

  // The other session's annotation is untouched.
  const stored = exportStore(server.root).annotations[b.id];
  assert.equal(stored.status, 'pending');
  assert.deepEqual(stored.replies, []);
  await mine.close();
  await theirs.close();
});

test('annotation:delete refuses an annotation the agent already acknowledged', async (t) => {
  const server = await startServe(t);
  const client = await connect(server);
  const acked = storedAnnotation(client.session.id, { status: 'acknowledged' });
  await importStore(server.root, { sessions: {}, annotations: { [acked.id]: acked } });
  await client.next('annotation:created');
  client.send({ type: 'annotation:delete', id: acked.id });
  assert.equal((await client.next('error')).code, 'wrong_status');
  await client.close();
});

test('annotations:clear deletes this session\'s annotations and syncs []', async (t) => {
  const server = await startServe(t);
  const client = await connect(server);
  const other = await connect(server);
  await create(client, 'one');
  await create(client, 'two');
  const kept = await create(other, 'kept');

  client.send({ type: 'annotations:clear' });
  const sync = await client.nextMatching(
    (m) => m.type === 'annotations:sync' && m.annotations.length === 0, 'the empty sync');
  assert.deepEqual(sync.annotations, []);
  const stored = exportStore(server.root).annotations;
  assert.deepEqual(Object.keys(stored), [kept.id]);
  await client.close();
  await other.close();
});

test('session:yolo-toggle flips yoloMode and answers session:updated', async (t) => {
  const server = await startServe(t);
  const client = await connect(server);
  client.send({ type: 'session:yolo-toggle' });
  const on = await client.next('session:updated');
  assert.equal(on.session.id, client.session.id);
  assert.equal(on.session.yoloMode, true);
  client.send({ type: 'session:yolo-toggle' });
  assert.equal((await client.next('session:updated')).session.yoloMode, false);
  await client.close();
});

test('diff:approved / diff:rejected set diffResponse, only while diff_proposed, only own', async (t) => {
  const server = await startServe(t);
  const client = await connect(server);
  const stranger = await connect(server);
  const diff = '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n';
  const approve = storedAnnotation(client.session.id, { status: 'diff_proposed', diff });
  const reject = storedAnnotation(client.session.id, { status: 'diff_proposed', diff });
  const pending = storedAnnotation(client.session.id);
  await importStore(server.root, {
    sessions: {},
    annotations: { [approve.id]: approve, [reject.id]: reject, [pending.id]: pending },
  });
  for (let i = 0; i < 3; i++) await client.next('annotation:created');

  stranger.send({ type: 'diff:approved', id: approve.id });
  assert.equal((await stranger.next('error')).code, 'forbidden');

  client.send({ type: 'diff:approved', id: approve.id });
  const approved = (await client.next('annotation:updated')).annotation;
  assert.equal(approved.id, approve.id);
  assert.equal(approved.diffResponse, 'approved');

  client.send({ type: 'diff:rejected', id: reject.id });
  const rejected = (await client.next('annotation:updated')).annotation;
  assert.equal(rejected.diffResponse, 'rejected');

  client.send({ type: 'diff:approved', id: approve.id });
  assert.equal((await client.next('error')).code, 'wrong_status');
  client.send({ type: 'diff:rejected', id: pending.id });
  const wrong = await client.next('error');
  assert.equal(wrong.code, 'wrong_status');
  assert.equal(wrong.requestType, 'diff:rejected');
  await client.close();
  await stranger.close();
});

test('session:ping gets no reply and updates lastSeenAt', async (t) => {
  const server = await startServe(t);
  const client = await connect(server);
  const before = exportStore(server.root).sessions[client.session.id].lastSeenAt;
  client.send({ type: 'session:ping' });
  client.send('not json'); // a marker: its error comes after whatever the ping caused
  const next = await client.nextNonSync();
  assert.equal(next.type, 'error');
  assert.equal(next.code, 'invalid_json');
  const after = exportStore(server.root).sessions[client.session.id].lastSeenAt;
  assert.ok(after >= before);
  await client.close();
});

test('malformed input of every kind gets an error and the socket keeps working', async (t) => {
  const server = await startServe(t);
  const client = await connect(server);
  const cases = [
    ['not json', 'invalid_json', null],
    ['{"type":', 'invalid_json', null],
    ['null', 'invalid_message', null],
    ['[]', 'invalid_message', null],
    ['[{"type":"session:ping"}]', 'invalid_message', null],
    ['42', 'invalid_message', null],
    ['"annotation:create"', 'invalid_message', null],
    ['{}', 'invalid_message', null],
    ['{"type":7}', 'invalid_message', null],
    ['{"type":"annotation:nuke","id":"x"}', 'unknown_type', 'annotation:nuke'],
    ['{"type":"annotation:create"}', 'invalid_argument', 'annotation:create'],
    ['{"type":"annotation:create","payload":"x"}', 'invalid_argument', 'annotation:create'],
    ['{"type":"annotation:create","payload":null}', 'invalid_argument', 'annotation:create'],
    ['{"type":"annotation:reply","id":1,"message":"m"}', 'invalid_argument', 'annotation:reply'],
    ['{"type":"annotation:reply","id":"x"}', 'invalid_argument', 'annotation:reply'],
    ['{"type":"annotation:delete","id":null}', 'invalid_argument', 'annotation:delete'],
    ['{"type":"diff:approved"}', 'invalid_argument', 'diff:approved'],
    [JSON.stringify({ type: 'annotation:create', payload: payload('x'.repeat(10001)) }),
      'limit_exceeded', 'annotation:create'],
    [JSON.stringify({ type: 'annotation:create', payload: payload('   ') }),
      'invalid_argument', 'annotation:create'],
    [JSON.stringify({ type: 'annotation:create', payload: payload('x', { inputs: 'not an object' }) }),
      'invalid_argument', 'annotation:create'],
    [JSON.stringify({ type: 'annotation:create', payload: payload('x', { inputs: { big: 'x'.repeat(70000) } }) }),
      'limit_exceeded', 'annotation:create'],
    [JSON.stringify({ type: 'annotation:reply', id: randomUUID(), message: 'x'.repeat(10001) }),
      'limit_exceeded', 'annotation:reply'],
    [JSON.stringify({ type: 'annotation:reply', id: randomUUID(), message: '  ' }),
      'invalid_argument', 'annotation:reply'],
  ];
  for (const [text, code, requestType] of cases) {
    client.send(text);
    const error = await client.nextNonSync();
    assert.equal(error.type, 'error', text.slice(0, 80));
    assert.equal(error.code, code, `${text.slice(0, 80)}: ${error.message}`);
    assert.equal(error.requestType, requestType, text.slice(0, 80));
    assert.equal(typeof error.message, 'string');
  }
  // Nothing was stored, and the socket still works.
  assert.deepEqual(exportStore(server.root).annotations, {});
  const annotation = await create(client, 'still works');
  assert.equal(annotation.status, 'pending');
  await client.close();
});

test('a frame over 1 MiB closes the socket with 1009', async (t) => {
  const server = await startServe(t);
  // Ten times: the close used to race the rest of the frame, and the client
  // then saw a reset (1006) about four times in ten.
  for (let i = 0; i < 10; i++) {
    const client = await connect(server);
    client.send(JSON.stringify({ type: 'session:ping', pad: 'x'.repeat(1024 * 1024) }));
    const closed = await client.waitClose();
    assert.equal(closed.code, 1009, `attempt ${i}`);
  }
  // The server is fine.
  const other = await connect(server);
  await other.close();
});

test('two sockets of one session both receive every push', async (t) => {
  const server = await startServe(t);
  const a = await connect(server);
  const b = await connect(server, { sessionId: a.session.id });
  assert.equal(b.session.id, a.session.id);

  const made = await create(a, 'from tab a');
  assert.equal((await b.next('annotation:created')).annotation.id, made.id);

  b.send({ type: 'annotation:reply', id: made.id, message: 'from tab b' });
  const [fromA, fromB] = await Promise.all([a.next('annotation:updated'), b.next('annotation:updated')]);
  assert.deepEqual(fromA, fromB);
  assert.equal(fromA.annotation.replies[0].message, 'from tab b');

  b.send({ type: 'session:yolo-toggle' });
  assert.equal((await a.next('session:updated')).session.yoloMode, true);
  await a.close();
  await b.close();
});

test('each socket gets one annotation:created per annotation, not one per path', async (t) => {
  const server = await startServe(t);
  const client = await connect(server);
  const made = await create(client, 'once');
  client.send('not json'); // marker
  const next = await client.nextNonSync();
  assert.equal(next.type, 'error', `expected no duplicate of ${made.id}, got ${JSON.stringify(next)}`);
  await client.close();
});

test('reload race: a new socket before the old one closes keeps the session active', async (t) => {
  const server = await startServe(t);
  const old = await connect(server);
  const reloaded = await connect(server, { sessionId: old.session.id });
  await old.close();
  const health = await healthUntil(server, (h) => h.socketsConnected === 1, 'the old socket to go');
  assert.equal(health.sessionsConnected, 1);
  assert.equal(exportStore(server.root).sessions[old.session.id].active, true);

  await reloaded.close();
  await healthUntil(server, (h) => h.sessionsConnected === 0, 'the last socket to go');
  assert.equal(exportStore(server.root).sessions[old.session.id].active, false);
});

test('every session is inactive at start-up', async (t) => {
  const root = (await import('./lib/cli.js')).tempRoot(t);
  const id = randomUUID();
  const file = join(root, 'seed.json');
  writeFileSync(file, JSON.stringify({ sessions: { [id]: storedSession(id, { active: true }) }, annotations: {} }));
  assert.equal(run(['import', file, '--root', root]).status, 0);
  assert.equal(exportStore(root).sessions[id].active, true);
  await startServe(t, { root });
  assert.equal(exportStore(root).sessions[id].active, false);
});

test('a status change written by another process is pushed to the browser', async (t) => {
  const server = await startServe(t);
  const client = await connect(server);
  const other = await connect(server);
  const made = await create(client, 'push me');

  const changed = {
    ...exportStore(server.root).annotations[made.id],
    status: 'acknowledged',
    replies: [{ id: randomUUID(), createdAt: new Date().toISOString(), author: 'agent', message: 'on it' }],
  };
  const file = join(server.root, 'change.json');
  writeFileSync(file, JSON.stringify({ sessions: {}, annotations: { [made.id]: changed } }));

  // Time from the importer's exit to the push (negative: the push came first).
  const started = process.hrtime.bigint();
  let exitedAt = null;
  const importer = spawn(BIN, ['import', file, '--root', server.root], { stdio: 'ignore' });
  importer.on('exit', () => { exitedAt = process.hrtime.bigint(); });
  const push = await client.next('annotation:updated');
  const pushedAt = process.hrtime.bigint();
  assert.equal(push.annotation.id, made.id);
  assert.equal(push.annotation.status, 'acknowledged');
  assert.equal(push.annotation.replies[0].message, 'on it');
  // Another session's socket is not told.
  other.send('not json');
  assert.equal((await other.nextNonSync()).type, 'error');

  await withDeadline(new Promise((resolve) => (exitedAt ? resolve() : importer.on('exit', resolve))), 'import to exit');
  const ms = (ns) => (Number(ns) / 1e6).toFixed(2);
  console.log(`push latency: ${ms(pushedAt - started)} ms from spawning the importer ` +
    `(process start included), ${ms(pushedAt - exitedAt)} ms relative to its exit`);
  await client.close();
  await other.close();
});

test('annotations:sync every 2 s carries lastAgentHeartbeat once an agent was seen', async (t) => {
  const server = await startServe(t);
  const client = await connect(server);
  const heartbeat = '2026-01-02T03:04:07.500Z';
  await importStore(server.root, { sessions: {}, annotations: {}, lastAgentHeartbeat: heartbeat });
  const sync = await client.nextMatching((m) => m.type === 'annotations:sync' && m.lastAgentHeartbeat,
    'a sync with a heartbeat', 5000);
  assert.equal(sync.lastAgentHeartbeat, heartbeat);
  await client.close();
});
