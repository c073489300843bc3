// Issue 19, failure: on PostgreSQL, a SIGKILL of a `serve` instance and a
// restart of the database (fast and immediate) lose no confirmed write;
// while the database is down a browser and an agent (/mcp and `mcp --store`)
// get a clear error, not a hang, and the server reconnects by itself when it
// is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startServe, payload, withDeadline } from '../integration/lib/serve.js';
import { run, tempRoot } from '../integration/lib/cli.js';
import { connect as connectStdio, call } from '../integration/lib/mcp.js';
import { connectHttp } from '../integration/lib/mcp-http.js';
import { useCluster } from '../integration/lib/pg.js';

const cluster = useCluster();
const KILLS = 5;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function storedIds(project) {
  const r = run(['export', '--store', cluster.url, '--project', project], { maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, r.stderr);
  return new Set(Object.keys(JSON.parse(r.stdout).annotations));
}

// A browser on `server` that creates as fast as the socket takes them;
// confirmed ids and error messages are collected. stop() ends the pump.
async function pumpCreates(server, confirmed, errors, label) {
  const browser = await Client.connect(server.wsUrl);
  await browser.handshake();
  browser.ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.type === 'annotation:created') confirmed.add(m.annotation.id);
    if (m.type === 'error') errors.push(m.message ?? JSON.stringify(m));
  });
  browser.ws.on('error', () => {});
  let sending = true;
  const pump = (async () => {
    for (let i = 0; sending && browser.ws.readyState === 1; i++) {
      browser.send({ type: 'annotation:create', payload: payload(`${label} #${i}`) });
      await sleep(i % 20 === 19 ? 5 : 0);
    }
  })();
  return { browser, async stop() { sending = false; await pump; } };
}

async function waitFor(ready, what, limit = 20000) {
  const deadline = Date.now() + limit;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${limit} ms`);
    await sleep(5);
  }
}

test('serve on PostgreSQL killed with SIGKILL: every confirmed create survives', async (t) => {
  const project = cluster.project();
  const confirmed = new Set();
  for (let round = 0; round < KILLS; round++) {
    const server = await startServe(t, { args: ['--store', cluster.url, '--project', project] });
    const before = confirmed.size;
    const pump = await pumpCreates(server, confirmed, [], `round ${round}`);
    // Heavy writes: killed with a hundred confirmed and more on the wire.
    await waitFor(() => confirmed.size > before + 100, 'confirmed creates');
    await sleep(Math.floor(Math.random() * 200));
    server.child.kill('SIGKILL');
    await pump.stop();
    await withDeadline(server.exited, 'serve to die');
    const stored = storedIds(project);
    assert.deepEqual([...confirmed].filter((id) => !stored.has(id)), [], `round ${round}`);
  }
  t.diagnostic(`${confirmed.size} confirmed creates across ${KILLS} kills, none lost`);
});

for (const mode of ['fast', 'immediate']) {
  test(`PostgreSQL restart -m ${mode} under writes: nothing confirmed is lost, serve carries on`, async (t) => {
    const project = cluster.project();
    const server = await startServe(t, { args: ['--store', cluster.url, '--project', project] });
    const confirmed = new Set();
    const errors = [];
    const pump = await pumpCreates(server, confirmed, errors, mode);
    await waitFor(() => confirmed.size > 20, 'confirmed creates');
    await cluster.restart(mode);
    const after = confirmed.size;
    // The same socket, the same serve: creates are confirmed again.
    await waitFor(() => confirmed.size > after + 20, 'creates confirmed after the restart');
    await pump.stop();
    pump.browser.close();
    const stored = storedIds(project);
    assert.deepEqual([...confirmed].filter((id) => !stored.has(id)), []);
    for (const message of errors) assert.match(message, /PostgreSQL|store/, message);
    t.diagnostic(`${confirmed.size} confirmed, ${errors.length} refused while it restarted`);
  });
}

// A tool call's outcome within a bound: {ok, text}.
async function tryTool(agent, name, args, what) {
  const { result } = await withDeadline(call(agent, name, args), what, 20000);
  return { ok: !result.isError, text: result.content?.[0]?.text ?? '' };
}

test('while PostgreSQL is down browser creates and MCP calls get a clear error, and all reconnect by themselves', async (t) => {
  const project = cluster.project();
  const args = ['--store', cluster.url, '--project', project];
  const server = await startServe(t, { args });
  const browser = await Client.connect(server.wsUrl);
  t.after(() => browser.close());
  await browser.handshake();
  browser.send({ type: 'annotation:create', payload: payload('before') });
  const { annotation: before } = await browser.next('annotation:created');
  // The agent on serve's /mcp and one on its own `mcp --store` process.
  const { client: overHttp } = await connectHttp(t, server.port, 'down-http');
  const overStdio = await connectStdio(t, tempRoot(t), 'down-stdio', args);
  // Both working before the database goes (`mcp` opens its store after
  // initialize, on a thread of its own: an open that fails ends it).
  for (const agent of [overHttp, overStdio]) {
    assert.ok((await tryTool(agent, 'get_all_pending', {}, 'get_all_pending before')).ok);
  }

  await cluster.halt();
  try {
    browser.send({ type: 'annotation:create', payload: payload('while down') });
    const refused = await browser.next('error', 15000);
    assert.match(refused.message, /PostgreSQL is unreachable/, JSON.stringify(refused));
    for (const [agent, name] of [[overHttp, '/mcp'], [overStdio, 'mcp --store']]) {
      const listed = await tryTool(agent, 'get_all_pending', {}, `${name}: get_all_pending while down`);
      assert.ok(!listed.ok, `${name}: ${listed.text}`);
      assert.match(listed.text, /PostgreSQL is unreachable/, name);
      const acked = await tryTool(agent, 'acknowledge', { id: before.id }, `${name}: acknowledge while down`);
      assert.ok(!acked.ok, `${name}: ${acked.text}`);
      assert.match(acked.text, /PostgreSQL is unreachable/, name);
    }
  } finally {
    await cluster.start();
  }
  browser.send({ type: 'annotation:create', payload: payload('after') });
  const back = await browser.next('annotation:created', 15000);
  assert.equal(back.annotation.annotationText, 'after');
  // The same agents, no reconnect of their own: the next call works.
  const pending = await tryTool(overHttp, 'get_all_pending', {}, '/mcp: get_all_pending after');
  assert.ok(pending.ok, pending.text);
  assert.deepEqual(JSON.parse(pending.text).annotations.map((a) => a.annotationText).sort(), ['after', 'before']);
  const acked = await tryTool(overStdio, 'acknowledge', { id: before.id }, 'mcp --store: acknowledge after');
  assert.ok(acked.ok, acked.text);
  await browser.nextMatching((m) => m.type === 'annotation:updated' && m.annotation.id === before.id
    && m.annotation.status === 'acknowledged', 'the browser to see the acknowledge', 15000);
  assert.ok(storedIds(project).has(back.annotation.id));
});
