// `ng-annotate mcp` over stdio with the official MCP SDK client: what the
// server offers, the JSON-RPC error paths, and its life cycle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { EmptyResultSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { BIN, connect, call, newSession, newAnnotation, importRecords } from './lib/mcp.js';
import { tempRoot, STOP_SIGNAL } from './lib/cli.js';

const TOOLS = [
  'acknowledge', 'dismiss', 'get_all_pending', 'get_annotation', 'get_pending', 'get_session',
  'list_sessions', 'propose_diff', 'reply', 'resolve', 'watch_annotations', 'watch_diff_response',
];

test('initialize: server info, capabilities and instructions', async (t) => {
  const client = await connect(t, tempRoot(t));
  const info = client.getServerVersion();
  assert.equal(info.name, 'ng-annotate');
  assert.match(info.version, /^\d+\.\d+\.\d+/);
  const caps = client.getServerCapabilities();
  assert.ok(caps.tools && caps.prompts && caps.logging);
  assert.equal(caps.resources.subscribe, true);
  assert.match(client.getInstructions(), /watch_annotations/);
});

test('tools/list: every tool with a JSON Schema for each argument', async (t) => {
  const client = await connect(t, tempRoot(t));
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((tool) => tool.name).sort(), TOOLS);
  for (const tool of tools) {
    assert.equal(tool.inputSchema.type, 'object', tool.name);
    assert.ok(tool.description.length > 40, tool.name);
    for (const [arg, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
      assert.ok(schema.type && schema.description, `${tool.name}.${arg}`);
    }
  }
  const watch = tools.find((tool) => tool.name === 'watch_annotations');
  assert.equal(watch.inputSchema.properties.timeoutMs.type, 'integer');
  assert.equal(watch.inputSchema.properties.timeoutMs.maximum, 600000);
  assert.deepEqual(tools.find((tool) => tool.name === 'dismiss').inputSchema.required, ['id', 'reason']);
});

test('prompts: start-polling teaches the work loop', async (t) => {
  const client = await connect(t, tempRoot(t));
  const { prompts } = await client.listPrompts();
  assert.deepEqual(prompts.map((p) => p.name), ['start-polling']);
  const prompt = await client.getPrompt({ name: 'start-polling' });
  const text = prompt.messages[0].content.text;
  for (const step of ['get_all_pending', 'watch_annotations', 'acknowledge', 'propose_diff',
    'watch_diff_response', 'resolve', 'reply', 'dismiss']) {
    assert.ok(text.includes(step), step);
  }
  assert.match(text, /never as instructions/);
  await assert.rejects(client.getPrompt({ name: 'nope' }), (e) => e instanceof McpError && e.code === -32602);
});

test('resources: list, templates, read, and not found', async (t) => {
  const root = tempRoot(t);
  const session = newSession();
  const annotation = newAnnotation(session.id);
  importRecords(root, { sessions: [session], annotations: [annotation] });
  const client = await connect(t, root);

  const { resources } = await client.listResources();
  assert.deepEqual(resources.map((r) => r.uri), [
    'ng-annotate://annotations/pending', `ng-annotate://annotations/${annotation.id}`,
  ]);
  const { resourceTemplates } = await client.listResourceTemplates();
  assert.equal(resourceTemplates[0].uriTemplate, 'ng-annotate://annotations/{id}');

  const pending = await client.readResource({ uri: 'ng-annotate://annotations/pending' });
  assert.equal(pending.contents[0].mimeType, 'application/json');
  assert.deepEqual(JSON.parse(pending.contents[0].text).map((a) => a.id), [annotation.id]);
  const one = await client.readResource({ uri: `ng-annotate://annotations/${annotation.id}` });
  assert.equal(JSON.parse(one.contents[0].text).annotationText, 'make this button primary');

  await assert.rejects(client.readResource({ uri: 'ng-annotate://annotations/nope' }),
    (e) => e instanceof McpError && e.code === -32002);
});

test('ping, logging/setLevel, and JSON-RPC errors over the SDK', async (t) => {
  const client = await connect(t, tempRoot(t));
  await client.ping();
  await client.setLoggingLevel('debug');
  await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }),
    (e) => e instanceof McpError && e.code === -32602);
  await assert.rejects(client.request({ method: 'no/such/method', params: {} }, EmptyResultSchema),
    (e) => e instanceof McpError && e.code === -32601);
});

// A raw stdio peer, for what the SDK would never send.
function rawServer(t, root) {
  const child = spawn(BIN, ['mcp', '--root', root], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  const queue = [];
  let waiter = null;
  lines.on('line', (line) => {
    queue.push(JSON.parse(line));
    if (waiter) { const w = waiter; waiter = null; w(); }
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  t.after(() => { if (child.exitCode === null) child.kill(); });
  return {
    child,
    exited,
    send(text) { child.stdin.write(`${text}\n`); },
    async next() {
      while (queue.length === 0) await new Promise((resolve) => { waiter = resolve; });
      return queue.shift();
    },
  };
}

test('malformed input of every kind gets an error and the server keeps serving', async (t) => {
  const server = rawServer(t, tempRoot(t));
  server.send('this is not json');
  assert.equal((await server.next()).error.code, -32700);
  server.send('[]');
  assert.equal((await server.next()).error.code, -32600);
  server.send('42');
  assert.equal((await server.next()).error.code, -32600);
  server.send('{"jsonrpc":"1.0","id":1,"method":"ping"}');
  assert.equal((await server.next()).error.code, -32600);
  server.send('{"jsonrpc":"2.0","id":2,"method":"ping","params":[1]}');
  assert.equal((await server.next()).error.code, -32602);
  server.send('{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"acknowledge","arguments":{"id":7}}}');
  const bad = await server.next();
  assert.equal(bad.result.isError, true);
  assert.equal(bad.result.content[0].text, "Error: argument 'id' must be a string");
  server.send('\u0000\u0001{{{');
  assert.equal((await server.next()).error.code, -32700);
  server.send('{"jsonrpc":"2.0","id":4,"method":"ping"}');
  assert.deepEqual(await server.next(), { jsonrpc: '2.0', id: 4, result: {} });
  server.send('[{"jsonrpc":"2.0","id":5,"method":"ping"},{"jsonrpc":"2.0","id":6,"method":"nope"}]');
  const batch = await server.next();
  assert.deepEqual(batch.map((r) => r.id), [5, 6]);
  assert.equal(batch[1].error.code, -32601);
  server.child.stdin.end();
  assert.deepEqual(await server.exited, { code: 0, signal: null });
});

test('EOF on stdin ends the server with exit code 0, even with a watch blocked', async (t) => {
  const server = rawServer(t, tempRoot(t));
  server.send('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"watch_annotations","arguments":{"timeoutMs":600000}}}');
  server.send('{"jsonrpc":"2.0","id":2,"method":"ping"}');
  assert.equal((await server.next()).id, 2);  // the watch blocks nothing
  const start = performance.now();
  server.child.stdin.end();
  assert.deepEqual(await server.exited, { code: 0, signal: null });
  console.log(`exit after EOF with a blocked watch: ${(performance.now() - start).toFixed(1)} ms`);
});

test(`${STOP_SIGNAL} ends the server with exit code 0`, async (t) => {
  const server = rawServer(t, tempRoot(t));
  server.send('{"jsonrpc":"2.0","id":1,"method":"ping"}');
  await server.next();
  server.child.kill(STOP_SIGNAL);
  assert.deepEqual(await server.exited, { code: 0, signal: null });
});

test('spawn to initialize answered', async (t) => {
  const root = tempRoot(t);
  const start = performance.now();
  const server = rawServer(t, root);
  server.send(JSON.stringify({
    jsonrpc: '2.0', id: 1, method: 'initialize',
    params: { protocolVersion: '2099-01-01', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
  }));
  const response = await server.next();
  console.log(`spawn -> initialize answered: ${(performance.now() - start).toFixed(1)} ms`);
  assert.equal(response.result.protocolVersion, '2025-11-25');
  for (const version of ['2025-06-18', '2025-03-26', '2024-11-05']) {
    server.send(JSON.stringify({
      jsonrpc: '2.0', id: version, method: 'initialize',
      params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
    }));
    assert.equal((await server.next()).result.protocolVersion, version);
  }
  server.child.stdin.end();
  await server.exited;
});
