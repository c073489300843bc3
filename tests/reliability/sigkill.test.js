// SPEC §11 reliability, issue 11: kill -9 during writes loses no reported
// write and corrupts nothing. A writer reports each write the server
// confirmed; serve (and, separately, mcp) is killed at a random moment, 20
// times each; after every kill each reported write is in the store and
// PRAGMA integrity_check says ok.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { Client, startServe, payload, withDeadline } from '../integration/lib/serve.js';
import { newSession, newAnnotation, importRecords } from '../integration/lib/mcp.js';
import { BIN, run, tempRoot } from '../integration/lib/cli.js';

const KILLS = 20;
const randomMs = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// Polls `ready` every 2 ms; fails the test after `limit` ms.
async function waitFor(ready, what, limit) {
  const deadline = Date.now() + limit;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${limit} ms`);
    await sleep(2);
  }
}

function exported(root) {
  const r = run(['export', '--root', root], { maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function integrity(root) {
  const r = spawnSync('sqlite3', [join(root, '.ng-annotate', 'store.db'), 'PRAGMA integrity_check'],
    { encoding: 'utf8', timeout: 10000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('serve killed with SIGKILL at random moments: every confirmed create survives', async (t) => {
  const root = tempRoot(t);
  const confirmed = new Set();
  for (let round = 0; round < KILLS; round++) {
    const server = await startServe(t, { root });
    const browser = await Client.connect(server.wsUrl);
    await browser.handshake();
    browser.ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.type === 'annotation:created') confirmed.add(m.annotation.id);
    });
    // Pipelined creates, as fast as the socket takes them, until the kill.
    let sending = true;
    const before = confirmed.size;
    const pump = (async () => {
      for (let i = 0; sending; i++) {
        browser.send({ type: 'annotation:create', payload: payload(`round ${round} #${i}`) });
        if (i % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    // The kill lands while writes are under way: after this round's first
    // confirmed batch (a slow build, e.g. ASan, takes longer to get there
    // than a fixed delay would allow), then at a random moment.
    await waitFor(() => confirmed.size > before, 'a confirmed create', 30000);
    await sleep(randomMs(0, 230));
    server.child.kill('SIGKILL');
    sending = false;
    await pump;
    await withDeadline(server.exited, 'serve to die');
    const stored = new Set(Object.keys(exported(root).annotations));
    const lost = [...confirmed].filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `round ${round}: confirmed creates lost`);
    assert.equal(integrity(root), 'ok', `round ${round}`);
  }
  t.diagnostic(`${confirmed.size} confirmed creates across ${KILLS} kills, none lost`);
  assert.ok(confirmed.size > KILLS);
});

test('mcp killed with SIGKILL at random moments: every confirmed acknowledge survives', async (t) => {
  const root = tempRoot(t);
  const session = newSession();
  const annotations = Array.from({ length: 1500 }, (_, i) => newAnnotation(session.id, { annotationText: `a${i}` }));
  importRecords(root, { sessions: [session], annotations });
  const queue = annotations.map((a) => a.id);
  const confirmed = new Set();
  for (let round = 0; round < KILLS && queue.length; round++) {
    const child = spawn(BIN, ['mcp', '--root', root], { stdio: ['pipe', 'pipe', 'ignore'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    t.after(() => child.kill('SIGKILL'));
    const pending = new Map();
    let initialized = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = JSON.parse(line);
      if (m.id === 0) initialized = true;
      const id = pending.get(m.id);
      if (id && m.result && !m.result.isError) confirmed.add(id);
    });
    child.stdin.on('error', () => {});
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'killer', version: '1' } } })}\n`);
    child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    for (let n = 1; n <= 75 && queue.length; n++) {
      const id = queue.shift();
      pending.set(n, id);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: n, method: 'tools/call', params: { name: 'acknowledge', arguments: { id, message: 'on it' } } })}\n`);
    }
    // From the initialize answer (the process is up: an ASan build takes
    // ~0.3 s to start), a random moment around the acknowledges (the 75 are
    // answered ~35 ms later in a release build, ~70 ms under ASan).
    await waitFor(() => initialized, 'the initialize answer', 30000);
    await sleep(randomMs(5, 120));
    child.kill('SIGKILL');
    await withDeadline(exited, 'mcp to die');
    const stored = exported(root).annotations;
    const lost = [...confirmed].filter((id) => stored[id].status !== 'acknowledged' || stored[id].replies.length !== 1);
    assert.deepEqual(lost, [], `round ${round}: confirmed acknowledges lost`);
    assert.equal(integrity(root), 'ok', `round ${round}`);
  }
  t.diagnostic(`${confirmed.size} confirmed acknowledges across ${KILLS} kills, none lost`);
  assert.ok(confirmed.size > 0);
});
