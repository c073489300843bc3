// Issue 19, failure: on PostgreSQL, a SIGKILL of a `serve` instance and a
// restart of the database (fast and immediate) lose no confirmed write;
// while the database is down a browser gets a clear error, not a hang, and
// the server reconnects by itself when it is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startServe, payload, withDeadline } from '../integration/lib/serve.js';
import { run } from '../integration/lib/cli.js';
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
    await waitFor(() => confirmed.size > before, 'a confirmed create');
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

test('while PostgreSQL is down a create gets a clear error, and serve reconnects by itself', async (t) => {
  const project = cluster.project();
  const server = await startServe(t, { args: ['--store', cluster.url, '--project', project] });
  const browser = await Client.connect(server.wsUrl);
  t.after(() => browser.close());
  await browser.handshake();
  browser.send({ type: 'annotation:create', payload: payload('before') });
  await browser.next('annotation:created');

  await cluster.halt();
  try {
    browser.send({ type: 'annotation:create', payload: payload('while down') });
    const refused = await browser.next('error', 15000);
    assert.match(refused.message, /PostgreSQL is unreachable/, JSON.stringify(refused));
  } finally {
    await cluster.start();
  }
  browser.send({ type: 'annotation:create', payload: payload('after') });
  const back = await browser.next('annotation:created', 15000);
  assert.equal(back.annotation.annotationText, 'after');
  assert.ok(storedIds(project).has(back.annotation.id));
});
