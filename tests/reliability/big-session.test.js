// Issue 11 items 1-3 end to end: the red team's big session, big answer and
// reply flood, against the real binary with real clients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startServe, payload, rawRequest, withDeadline } from '../integration/lib/serve.js';
import { connect, call } from '../integration/lib/mcp.js';

// ~1 MB in one annotation, every field under its own limit.
function heavy(text) {
  return payload(text, { componentTreePath: Array.from({ length: 250 }, () => 'x'.repeat(3900)) });
}
// ~200 KB: under the total limit.
function weighty(text) {
  return payload(text, { componentTreePath: Array.from({ length: 50 }, () => 'y'.repeat(4000)) });
}

async function open(server, { sessionId, proto } = {}) {
  const query = new URLSearchParams();
  if (sessionId) query.set('sessionId', sessionId);
  if (proto) query.set('proto', String(proto));
  const client = await Client.connect(`${server.wsUrl}?${query}`);
  const { session, third } = await client.handshake();
  client.session = session;
  client.sync = third;
  return client;
}

test('big session: overweight creates are refused, a full session still syncs on reconnect', async (t) => {
  const server = await startServe(t);
  const browser = await open(server);
  browser.send({ type: 'annotation:create', payload: heavy('a megabyte') });
  const refused = await browser.next('error');
  assert.equal(refused.code, 'limit_exceeded');
  assert.match(refused.message, /too large/);

  // 150 annotations of ~200 KB: 30 MB, more than a socket may queue.
  for (let i = 0; i < 150; i++) browser.send({ type: 'annotation:create', payload: weighty(`n${i}`) });
  for (let i = 0; i < 150; i++) await browser.next('annotation:created', 20000);
  await browser.close();

  let total = 150;
  for (const proto of [undefined, 2]) {
    const again = await open(server, { sessionId: browser.session.id, proto });
    assert.equal(again.session.id, browser.session.id);
    assert.equal(again.sync.type, 'annotations:sync');
    const shown = again.sync.annotations.length;
    assert.ok(shown > 0 && shown < total, `sync carries ${shown}`);
    assert.equal(shown + again.sync.more, total);
    assert.equal(typeof again.sync.version, 'number');
    t.diagnostic(`proto ${proto ?? 1}: sync of ${shown}, more ${again.sync.more}`);
    // Still alive and answering.
    again.send({ type: 'annotation:create', payload: payload('still works') });
    assert.equal((await again.next('annotation:created')).annotation.annotationText, 'still works');
    total++;
    await again.close();
  }
});

test('big answer: get_all_pending pages and /__annotate/health keeps answering meanwhile', async (t) => {
  const server = await startServe(t);
  const browser = await open(server);
  for (let i = 0; i < 200; i++) browser.send({ type: 'annotation:create', payload: weighty(`p${i}`) });
  for (let i = 0; i < 200; i++) await browser.next('annotation:created', 20000);
  const agent = await connect(t, server.root, 'big-answer-agent');

  const healthTimes = [];
  let listing = true;
  const health = (async () => {
    while (listing) {
      const started = process.hrtime.bigint();
      const r = await rawRequest(server.port, { path: '/__annotate/health' });
      assert.equal(r.status, 200);
      healthTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  })();
  let seen = 0;
  let cursor;
  let pages = 0;
  for (;;) {
    const { value, result } = await call(agent, 'get_all_pending', { limit: 500, ...(cursor ? { cursor } : {}) });
    assert.ok(result.content[0].text.length < 4 * 1024 * 1024, 'one answer is capped');
    for (const a of value.annotations) assert.equal(a.domSnapshot, undefined);
    seen += value.annotations.length;
    pages++;
    if (value.nextCursor === null) { assert.equal(value.more, 0); break; }
    assert.equal(value.more, 200 - seen);
    cursor = value.nextCursor;
  }
  listing = false;
  await withDeadline(health, 'the health poller');
  assert.equal(seen, 200);
  assert.ok(pages > 1);
  healthTimes.sort((a, b) => a - b);
  t.diagnostic(`${pages} pages; health answered ${healthTimes.length} times meanwhile, max ${healthTimes.at(-1)?.toFixed(1)} ms`);
  await browser.close();
});

test('reply flood: pipelined replies each get an answer, the cap is a clear error, proto=2 gets deltas', async (t) => {
  const server = await startServe(t);
  const user = await open(server, { proto: 2 });
  const old = await open(server, { sessionId: user.session.id });
  user.send({ type: 'annotation:create', payload: payload('talk to me') });
  const { annotation } = await user.next('annotation:created');
  await old.next('annotation:created');

  const N = 230;  // past the cap of 200
  for (let i = 0; i < N; i++) user.send({ type: 'annotation:reply', id: annotation.id, message: `r${i}` });
  let deltas = 0;
  let errors = 0;
  while (deltas + errors < N) {
    const m = await user.nextMatching((x) => x.type === 'annotation:reply' || x.type === 'error', 'a reply answer', 20000);
    if (m.type === 'error') {
      assert.equal(m.code, 'limit_exceeded');
      assert.match(m.message, /replies/);
      errors++;
    } else {
      assert.equal(m.id, annotation.id);
      assert.equal(m.reply.message, `r${deltas}`);
      deltas++;
    }
  }
  assert.equal(deltas, 200);
  assert.equal(errors, N - 200);
  // The old client got full annotation:updated frames, the last with every reply.
  let last;
  for (let i = 0; i < 200; i++) last = await old.next('annotation:updated', 20000);
  assert.equal(last.annotation.replies.length, 200);
  assert.equal(old.closed, null);
  assert.equal(user.closed, null);
  await user.close();
  await old.close();
});

// Issue 21 item 8: the red team's "big answer" failure, made certain. The
// client pipelines 400 creates (~80 MB of annotation:created answers, well
// past the 32 MiB queue cap) without reading, then reads, slowly. The server
// must stop reading its requests while their answers pile up (backpressure)
// instead of closing it with 1008 for being slow.
test('a client that pipelines creates and reads slowly is slowed down, not closed', async (t) => {
  const server = await startServe(t);
  const browser = await open(server);
  const socket = browser.ws._socket;
  socket.pause();
  const N = 400;
  for (let i = 0; i < N; i++) browser.send({ type: 'annotation:create', payload: weighty(`s${i}`) });
  // Until the server has read all it is going to read: everything sent, or
  // nothing more taken for 2 s (it stopped reading).
  await withDeadline((async () => {
    let last = -1;
    let still = 0;
    while (browser.ws.bufferedAmount > 0 && still < 8) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      still = browser.ws.bufferedAmount === last ? still + 1 : 0;
      last = browser.ws.bufferedAmount;
    }
  })(), 'the server to stop taking creates', 120000);
  t.diagnostic(`${(browser.ws.bufferedAmount / 1e6).toFixed(1)} MB still unsent when the client starts reading`);
  // 80 MB is far more than the loopback buffers hold: the server stopped reading.
  assert.ok(browser.ws.bufferedAmount > 0, 'the server took every create while the client read nothing');
  // Reads slowly: after each chunk the socket rests 2 ms.
  socket.on('data', () => { socket.pause(); setTimeout(() => socket.resume(), 2); });
  socket.resume();
  for (let i = 0; i < N; i++) {
    const created = await browser.next('annotation:created', 60000);
    assert.equal(created.annotation.annotationText, `s${i}`);
  }
  assert.equal(browser.closed, null);
  await browser.close();
});

// The same with ~56 KB creates: each is read whole in one go, so the group
// commit keeps its batch open while they keep coming and holds every reply
// until it commits; unanswered input must pause the socket too, or the
// replies land at once past the 32 MiB cap.
test('pipelined mid-size creates are answered in order, none closed for the group commit', async (t) => {
  const server = await startServe(t);
  const browser = await open(server);
  const socket = browser.ws._socket;
  socket.pause();
  const N = 1000;
  const mid = (text) => payload(text, { componentTreePath: Array.from({ length: 14 }, () => 'z'.repeat(4000)) });
  for (let i = 0; i < N; i++) browser.send({ type: 'annotation:create', payload: mid(`m${i}`) });
  await withDeadline((async () => {
    let last = -1;
    let still = 0;
    while (browser.ws.bufferedAmount > 0 && still < 8) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      still = browser.ws.bufferedAmount === last ? still + 1 : 0;
      last = browser.ws.bufferedAmount;
    }
  })(), 'the server to stop taking creates', 120000);
  socket.resume();
  for (let i = 0; i < N; i++) {
    const created = await browser.next('annotation:created', 60000);
    assert.equal(created.annotation.annotationText, `m${i}`);
  }
  assert.equal(browser.closed, null);
  await browser.close();
});

test('a socket that does not read is closed with a reason naming what was dropped', async (t) => {
  const server = await startServe(t);
  const writer = await open(server);
  const sleeper = await open(server, { sessionId: writer.session.id });
  sleeper.ws._socket.pause();  // stops reading: the server's queue for it fills
  for (let i = 0; i < 400; i++) writer.send({ type: 'annotation:create', payload: weighty(`q${i}`) });
  for (let i = 0; i < 400; i++) await writer.next('annotation:created', 30000);
  sleeper.ws._socket.resume();
  const closed = await sleeper.waitClose(30000);
  assert.equal(closed.code, 1008);
  // Whatever frame overflowed (a push, or a periodic sync on a slow machine), it is named.
  assert.match(closed.reason, /^outbound queue full: dropped a \d+-byte annotation(s)?:[a-z]+ frame and \d+ queued frame/);
  await writer.close();
});
