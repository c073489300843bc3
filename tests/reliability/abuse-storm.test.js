// SPEC §11, issue 11: malformed frames, JSON and JSON-RPC of every kind,
// thrown at serve from many connections at once, while a well-behaved
// browser and agent beside them keep getting correct answers within a
// bounded wait. Bounded: a fixed number of rounds, every wait has a deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as netConnect } from 'node:net';
import WebSocket from 'ws';
import { Client, startServe, payload, withDeadline } from '../integration/lib/serve.js';
import { connectHttp } from '../integration/lib/mcp-http.js';
import { mcpRequest } from '../integration/lib/mcp-http.js';

const FRAMES = [
  '', 'not json', '{', '[]', '"x"', '42', 'null', '{"type":7}', '{"type":"nope"}',
  '{"type":"annotation:create"}', '{"type":"annotation:create","payload":[]}',
  '{"type":"annotation:create","payload":{"annotationText":"   "}}',
  JSON.stringify({ type: 'annotation:create', payload: { annotationText: 'x'.repeat(20000) } }),
  '{"type":"annotation:reply","id":1,"message":2}', '{"type":"annotation:delete","id":"no-such"}',
  '{"type":"diff:approved"}', '{"type":"annotations:page","limit":"many"}', '{"type":"annotations:page","before":5}',
  '['.repeat(100000), `{"type":"${'t'.repeat(5000)}"}`, '{"type":"session:ping","type":"annotation:clear"}',
  '{"a":' + '{"a":'.repeat(40) + '1' + '}'.repeat(41),
];
const RPC = [
  'garbage', '[]', '[1,2,3]', '{}', '{"jsonrpc":"2.0"}', '{"jsonrpc":"1.0","id":1,"method":"ping"}',
  '{"jsonrpc":"2.0","id":{},"method":"ping"}', '{"jsonrpc":"2.0","id":1,"method":7}',
  '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_annotation","arguments":{"id":5}}}',
  '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":[]}', '{"jsonrpc":"2.0","id":1e400,"method":"ping"}',
  JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'no/such' }))),
  '{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"ng-annotate://annotations/../../etc"}}',
];

function rawHttp(port, text) {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1', () => socket.end(text));
    socket.on('data', () => {});
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    setTimeout(() => { socket.destroy(); resolve(); }, 3000);
  });
}

test('abuse storm: a good browser and agent keep getting timely, correct answers', async (t) => {
  const server = await startServe(t);
  const good = await Client.connect(`${server.wsUrl}?proto=2`);
  const { session } = await good.handshake();
  const { client: agent } = await connectHttp(t, server.port, 'storm-agent');

  const attackers = [];
  for (let i = 0; i < 20; i++) {
    const ws = new WebSocket(server.wsUrl);
    ws.on('error', () => {});
    attackers.push(new Promise((resolve) => ws.once('open', () => resolve(ws))).catch(() => null));
  }
  const sockets = (await withDeadline(Promise.all(attackers), 'attackers to connect')).filter(Boolean);
  let storming = true;
  const storm = (async () => {
    for (let round = 0; storming && round < 400; round++) {
      for (const ws of sockets) {
        if (ws.readyState !== WebSocket.OPEN) continue;
        ws.send(FRAMES[(round + sockets.indexOf(ws)) % FRAMES.length]);
      }
      const body = RPC[round % RPC.length];
      await Promise.all([
        mcpRequest(server.port, { body, headers: { 'Mcp-Session-Id': 'bogus' } }).catch(() => {}),
        rawHttp(server.port, round % 2 ? 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n' : 'BREW /mcp HTTP/9\r\n\r\n'),
      ]);
    }
  })();

  // The well-behaved pair, alongside.
  for (let i = 0; i < 30; i++) {
    good.send({ type: 'annotation:create', payload: payload(`good ${i}`) });
    const created = (await good.next('annotation:created', 5000)).annotation;
    assert.equal(created.annotationText, `good ${i}`);
    const r = await withDeadline(agent.callTool({ name: 'acknowledge', arguments: { id: created.id, message: 'ok' } }), 'acknowledge', 5000);
    assert.equal(r.isError, false);
    const updated = await good.nextMatching((m) => m.type === 'annotation:updated' && m.annotation.id === created.id, 'the update', 5000);
    assert.equal(updated.annotation.status, 'acknowledged');
  }
  storming = false;
  await withDeadline(storm, 'the storm to end', 60000);
  // Every attacker got error frames or a close, and the server is still whole.
  const all = await withDeadline(agent.callTool({ name: 'get_session', arguments: { id: session.id, limit: 500 } }), 'get_session');
  assert.equal(all.structuredContent.annotations.length, 30);
  for (const ws of sockets) ws.terminate();
  await good.close();
});
