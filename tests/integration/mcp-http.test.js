// MCP over Streamable HTTP at `ng-annotate serve`'s /mcp: the official SDK
// client (StreamableHTTPClientTransport) for the protocol, raw requests for
// the transport's edges, and the `ws` package playing the browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoggingMessageNotificationSchema, ResourceUpdatedNotificationSchema }
  from '@modelcontextprotocol/sdk/types.js';
import { Client as Browser, startServe, payload, withDeadline } from './lib/serve.js';
import { call, errorText } from './lib/mcp.js';
import { connectHttp, mcpRequest, rawSession, openStream, messageOf, INIT } from './lib/mcp-http.js';
import { STOP_SIGNAL } from './lib/cli.js';

const PENDING_URI = 'ng-annotate://annotations/pending';

async function browser(server) {
  const client = await Browser.connect(server.wsUrl);
  const { session } = await client.handshake();
  client.session = session;
  return client;
}

// Collects the notifications of one schema; next(predicate) waits for one.
function collect(client, schema) {
  const seen = [];
  const waiters = new Set();
  client.setNotificationHandler(schema, (n) => { seen.push(n); for (const w of waiters) w(); });
  return {
    next(predicate, what) {
      return withDeadline(new Promise((resolve) => {
        const check = () => {
          const index = seen.findIndex(predicate);
          if (index >= 0) { waiters.delete(check); resolve(seen.splice(index, 1)[0]); }
        };
        waiters.add(check);
        check();
      }), what);
    },
  };
}

test('initialize, list tools/prompts/resources, call tools (happy and error paths)', async (t) => {
  const server = await startServe(t);
  const { client, transport } = await connectHttp(t, server.port);
  assert.match(transport.sessionId, /^[0-9a-f-]{36}$/);
  assert.equal(client.getServerVersion().name, 'ng-annotate');
  assert.ok(client.getServerCapabilities().resources.subscribe);

  const { tools } = await client.listTools();
  for (const name of ['list_sessions', 'get_session', 'get_annotation', 'get_pending',
    'get_all_pending', 'acknowledge', 'propose_diff', 'watch_diff_response', 'resolve',
    'dismiss', 'reply', 'watch_annotations']) {
    assert.ok(tools.some((tool) => tool.name === name), `tool ${name}`);
  }
  const { prompts } = await client.listPrompts();
  assert.ok(prompts.some((p) => p.name === 'start-polling'));
  const { resources } = await client.listResources();
  assert.ok(resources.some((r) => r.uri === PENDING_URI));
  assert.deepEqual(await client.ping(), {});

  // The browser's annotation, seen and worked on through /mcp.
  const page = await browser(server);
  t.after(() => page.close());
  page.send({ type: 'annotation:create', payload: payload('make it blue') });
  const created = (await page.next('annotation:created')).annotation;
  const { value: listed } = await call(client, 'list_sessions');
  assert.ok(listed.sessions.some((s) => s.id === page.session.id));
  const { value: all } = await call(client, 'get_all_pending');
  assert.deepEqual(all.annotations.map((a) => a.id), [created.id]);
  const { value: acked } = await call(client, 'acknowledge', { id: created.id, message: 'on it' });
  assert.equal(acked.status, 'acknowledged');
  // The browser hears of it: the MCP side's write reaches the Hub.
  const update = await page.nextMatching((m) => m.type === 'annotation:updated'
    && m.annotation.id === created.id && m.annotation.status === 'acknowledged', 'the ack');
  assert.equal(update.annotation.replies[0].message, 'on it');

  assert.equal(errorText((await call(client, 'get_annotation', { id: 'nope' })).result),
    'Error: no annotation with id nope');
  assert.match(errorText((await call(client, 'acknowledge', { id: created.id })).result),
    /^Error: cannot acknowledge/);
  assert.match(errorText((await call(client, 'watch_annotations', { timeoutMs: -1 })).result),
    /^Error: /);
  await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }), /unknown tool/);
});

test('a browser create wakes a blocked watch_annotations over HTTP', async (t) => {
  const server = await startServe(t);
  const { client } = await connectHttp(t, server.port);
  // The session's debug log says when the watch is blocked: wait for that,
  // not for a guessed while. It comes over the GET stream.
  const logs = collect(client, LoggingMessageNotificationSchema);
  await client.setLoggingLevel('debug');
  const page = await browser(server);
  t.after(() => page.close());

  const watch = call(client, 'watch_annotations', { timeoutMs: 20000 });
  await logs.next((n) => /watch_annotations .* is waiting/.test(n.params.data), 'the watch to block');
  const sent = performance.now();
  page.send({ type: 'annotation:create', payload: payload('wake up') });
  const { value } = await withDeadline(watch, 'the watch to return');
  const latency = performance.now() - sent;
  console.log(`[mcp-http] browser create -> watch_annotations result over HTTP: ${latency.toFixed(1)} ms`);
  assert.equal(value.status, 'annotations');
  assert.deepEqual(value.annotations.map((a) => a.annotationText), ['wake up']);
});

test('a resource subscription gets notifications/resources/updated over the GET stream', async (t) => {
  const server = await startServe(t);
  const { client } = await connectHttp(t, server.port);
  const updates = collect(client, ResourceUpdatedNotificationSchema);
  await client.subscribeResource({ uri: PENDING_URI });
  const page = await browser(server);
  t.after(() => page.close());
  page.send({ type: 'annotation:create', payload: payload('notify me') });
  const n = await updates.next((u) => u.params.uri === PENDING_URI, 'resources/updated');
  assert.equal(n.method, 'notifications/resources/updated');
  const read = await client.readResource({ uri: PENDING_URI });
  assert.match(read.contents[0].text, /notify me/);
});

test('DELETE ends the session: afterwards 404', async (t) => {
  const server = await startServe(t);
  const { client, transport } = await connectHttp(t, server.port);
  const id = transport.sessionId;
  await client.ping();
  await transport.terminateSession();
  const after = await mcpRequest(server.port, {
    headers: { 'Mcp-Session-Id': id }, body: { jsonrpc: '2.0', id: 2, method: 'ping' },
  });
  assert.equal(after.status, 404);
  const again = await mcpRequest(server.port, { method: 'DELETE', headers: { 'Mcp-Session-Id': id } });
  assert.equal(again.status, 404);
});

test('transport edges: session header, parse errors, 202, versions, Accept, methods', async (t) => {
  const server = await startServe(t);
  const { port } = server;
  const ping = { jsonrpc: '2.0', id: 7, method: 'ping' };

  const missing = await mcpRequest(port, { body: ping });
  assert.equal(missing.status, 400);
  assert.match(JSON.parse(missing.body).error.message, /Mcp-Session-Id/);
  assert.equal((await mcpRequest(port, { body: ping, headers: { 'Mcp-Session-Id': 'nope' } })).status, 404);

  const id = await rawSession(port);
  const headers = { 'Mcp-Session-Id': id };
  const pong = await mcpRequest(port, { body: ping, headers });
  assert.equal(pong.status, 200);
  assert.match(pong.headers['content-type'], /^application\/json/);
  assert.deepEqual(JSON.parse(pong.body), { jsonrpc: '2.0', id: 7, result: {} });

  const bad = await mcpRequest(port, { body: '{"jsonrpc":', headers });
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.body).error.code, -32700);
  const badNoSession = await mcpRequest(port, { body: 'nope' });
  assert.equal(badNoSession.status, 400);
  assert.equal(JSON.parse(badNoSession.body).error.code, -32700);

  const note = await mcpRequest(port, { body: { jsonrpc: '2.0', method: 'notifications/roots/list_changed' }, headers });
  assert.equal(note.status, 202);
  assert.equal(note.body, '');

  const batch = await mcpRequest(port, { body: [ping, { ...ping, id: 8 }], headers });
  assert.deepEqual(JSON.parse(batch.body).map((r) => r.id).sort(), [7, 8]);

  assert.equal((await mcpRequest(port, { body: ping, headers: { ...headers, 'MCP-Protocol-Version': '1999-01-01' } })).status, 400);
  assert.equal((await mcpRequest(port, { body: ping, headers: { ...headers, 'MCP-Protocol-Version': '2025-03-26' } })).status, 200);
  assert.equal((await mcpRequest(port, { body: ping, headers: { ...headers, Accept: 'text/html' } })).status, 406);
  assert.equal((await mcpRequest(port, { body: ping, headers: { ...headers, 'Content-Type': 'text/plain' } })).status, 415);
  assert.equal((await mcpRequest(port, { method: 'GET', headers: { ...headers, Accept: 'application/json' } })).status, 406);
  assert.equal((await mcpRequest(port, { method: 'PUT', headers })).status, 405);
  assert.equal((await mcpRequest(port, { body: ping, headers, path: '/mcp/x' })).status, 404);

  // Only the SSE answer accepted: the answer comes as one event.
  const sseOnly = await mcpRequest(port, { body: ping, headers: { ...headers, Accept: 'text/event-stream' } });
  assert.match(sseOnly.headers['content-type'], /^text\/event-stream/);
  assert.match(sseOnly.body, /^event: message\ndata: \{"jsonrpc":"2.0","id":7,"result":\{\}\}\n\n$/);
});

// Opens the session's GET stream, retrying while the server has not yet
// noticed that the previous one was hung up (409 until it has).
function reopenStream(port, headers) {
  return withDeadline((async () => {
    for (;;) {
      const s = await openStream(port, { headers });
      if (s.status === 200) return s;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })(), 'the GET stream to reopen');
}

test('GET stream: one per session, event ids, missed events, Last-Event-ID replay', async (t) => {
  const server = await startServe(t);
  const { port } = server;
  const id = await rawSession(port);
  const headers = { 'Mcp-Session-Id': id };
  await mcpRequest(port, { headers, body: { jsonrpc: '2.0', id: 1, method: 'resources/subscribe', params: { uri: PENDING_URI } } });

  // Sent while no stream is open: the first stream gets it.
  const page = await browser(server);
  t.after(() => page.close());
  page.send({ type: 'annotation:create', payload: payload('first') });
  await page.next('annotation:created');

  const stream = await openStream(port, { headers });
  t.after(() => stream.close());
  assert.equal(stream.status, 200);
  assert.match(stream.headers['content-type'], /^text\/event-stream/);
  const first = await stream.next((e) => e.data, 'the missed notification');
  assert.deepEqual(messageOf(first), {
    jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri: PENDING_URI },
  });
  assert.match(first.id, /^\d+$/);
  assert.equal((await mcpRequest(port, { method: 'GET', headers: { ...headers, Accept: 'text/event-stream' } })).status, 409);

  page.send({ type: 'annotation:create', payload: payload('second') });
  const second = await stream.next((e) => e.data, 'the live notification');
  assert.ok(Number(second.id) > Number(first.id));
  stream.close();

  // Last-Event-ID: the events after it, again.
  const replay = await reopenStream(port, { ...headers, 'Last-Event-ID': first.id });
  t.after(() => replay.close());
  const replayed = await replay.next((e) => e.data, 'the replayed notification');
  assert.equal(replayed.id, second.id);
});

test('a client hanging up on a blocked call cancels it; DELETE ends its stream', async (t) => {
  const server = await startServe(t);
  const { port } = server;
  const id = await rawSession(port);
  const headers = { 'Mcp-Session-Id': id };
  await mcpRequest(port, { headers, body: { jsonrpc: '2.0', id: 1, method: 'logging/setLevel', params: { level: 'debug' } } });
  const events = await openStream(port, { headers });
  t.after(() => events.close());

  const watch = await openStream(port, {
    method: 'POST',
    headers: { ...headers, Accept: 'application/json, text/event-stream' },
    body: { jsonrpc: '2.0', id: 'w1', method: 'tools/call', params: { name: 'watch_annotations', arguments: { timeoutMs: 60000 } } },
  });
  assert.equal(watch.status, 200);
  assert.match(watch.headers['content-type'], /^text\/event-stream/);
  await events.next((e) => e.data && /is waiting/.test(messageOf(e).params.data), 'the watch to block');
  watch.close();
  await events.next((e) => e.data && /request "w1" cancelled/.test(messageOf(e).params.data), 'the cancel');

  // A second blocked call, answered (cancelled) by DELETE: its stream ends.
  const watch2 = await openStream(port, {
    method: 'POST',
    headers: { ...headers, Accept: 'application/json, text/event-stream' },
    body: { jsonrpc: '2.0', id: 'w2', method: 'tools/call', params: { name: 'watch_annotations', arguments: { timeoutMs: 60000 } } },
  });
  await events.next((e) => e.data && /"w2".* is waiting|is waiting/.test(messageOf(e).params.data), 'the second watch to block');
  assert.equal((await mcpRequest(port, { method: 'DELETE', headers })).status, 200);
  await watch2.waitEnd();
  await events.waitEnd();
});

test('/mcp refuses a foreign Host and a cross-site Origin (403)', async (t) => {
  const server = await startServe(t);
  const { port } = server;
  const foreign = await mcpRequest(port, { body: INIT, headers: { Host: `evil.example.com:${port}` } });
  assert.equal(foreign.status, 403);
  const cross = await mcpRequest(port, { body: INIT, headers: { Origin: 'https://evil.example.com' } });
  assert.equal(cross.status, 403);
  const local = await mcpRequest(port, {
    body: INIT, headers: { Host: `localhost:${port}`, Origin: `http://localhost:${port}` },
  });
  assert.equal(local.status, 200);
  assert.ok(local.headers['mcp-session-id']);
});

test(`${STOP_SIGNAL} with a blocked HTTP watch and an open GET stream exits cleanly`, async (t) => {
  const server = await startServe(t);
  const { port } = server;
  const id = await rawSession(port);
  const headers = { 'Mcp-Session-Id': id };
  const events = await openStream(port, { headers });
  const watch = await openStream(port, {
    method: 'POST',
    headers: { ...headers, Accept: 'application/json, text/event-stream' },
    body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'watch_annotations', arguments: { timeoutMs: 60000 } } },
  });
  const { code } = await server.stop(STOP_SIGNAL);
  assert.equal(code, 0);
  await watch.waitEnd();
  await events.waitEnd();
});
