// SPEC §11: 500 concurrent sockets are served, and a push still reaches
// the right one among them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServe, Client, payload, rawRequest } from './lib/serve.js';

const SOCKETS = 500;

test(`${SOCKETS} concurrent browser sockets are all served`, async (t) => {
  const server = await startServe(t);
  const clients = [];
  t.after(async () => { await Promise.all(clients.map((c) => c.close().catch(() => {}))); });

  // Connect in waves of 50 so the test does not measure the accept backlog.
  for (let wave = 0; wave < SOCKETS / 50; wave++) {
    const batch = await Promise.all(Array.from({ length: 50 }, () => Client.connect(server.wsUrl)));
    clients.push(...batch);
  }
  const sessions = await Promise.all(clients.map(async (c) => (await c.handshake()).session.id));
  assert.equal(new Set(sessions).size, SOCKETS, 'one session per socket');

  const health = JSON.parse((await rawRequest(server.port, { path: '/__annotate/health' })).body);
  assert.equal(health.socketsConnected, SOCKETS);

  // Every annotation any socket is shown, to check none crosses sessions.
  const seen = clients.map((c) => {
    const ids = [];
    c.ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.annotation) ids.push(m.annotation.sessionId);
      for (const a of m.annotations ?? []) ids.push(a.sessionId);
    });
    return ids;
  });

  // Every socket can still talk: each creates one annotation and gets it back.
  const t0 = performance.now();
  await Promise.all(clients.map(async (c, i) => {
    c.send({ type: 'annotation:create', payload: payload(`from socket ${i}`) });
    const { annotation } = await c.next('annotation:created', 20000);
    assert.equal(annotation.annotationText, `from socket ${i}`);
    assert.equal(annotation.sessionId, sessions[i]);
  }));
  console.log(`${SOCKETS} sockets each created one annotation in ${(performance.now() - t0).toFixed(0)} ms`);

  // Each socket was shown its own annotation and no other session's.
  seen.forEach((ids, i) => {
    assert.ok(ids.length >= 1, `socket ${i} was shown nothing`);
    assert.deepEqual(ids.filter((id) => id !== sessions[i]), [], `socket ${i}`);
  });
});
