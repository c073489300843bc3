// Figure 3: creates per second. Ours: N `annotation:create` frames pipelined
// over one WebSocket, timed from the first send to the N-th distinct
// `annotation:created`. Peer: its REST create with a fixed number of requests
// in flight over keep-alive connections (HTTP/1.1 has no pipelining in Node).
// Both on an empty store and on one pre-filled with `stored` annotations;
// each side first makes `warmup` untimed creates in a session of their own
// (by default a whole burst, so that the timed bursts meet a process whose
// heap and caches have grown: the first 2 000 creates into a fresh `serve`
// pay ~1 400 page faults of heap growth), then times `reps` bursts, each in
// a new session, and reports the median with the spread.
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  now, ms, tempDir, startServe, browser, createFrame, withDeadline, stop,
  startPeer, peerSession, peerCreate,
} from './lib.mjs';

const STATUSES = ['pending', 'acknowledged', 'resolved', 'dismissed', 'resolved'];

// A store.json (ng-annotate-mcp's shape) with `count` annotations spread over
// 10 old sessions, imported with `ng-annotate import`. With `pending` given,
// exactly that many are pending (the oldest) and the rest resolved.
export function prefill(bin, root, count, pending = null) {
  const t = new Date(Date.now() - 86400000).toISOString();
  const sessions = {};
  const ids = [];
  for (let s = 0; s < 10; s++) {
    const id = randomUUID();
    ids.push(id);
    sessions[id] = { id, createdAt: t, lastSeenAt: t, active: false, url: 'http://localhost:4200/', yoloMode: false };
  }
  const annotations = {};
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    annotations[id] = {
      id, sessionId: ids[i % ids.length], createdAt: t, updatedAt: t, status: pending === null ? STATUSES[i % STATUSES.length] : i < pending ? 'pending' : 'resolved',
      replies: [], componentName: 'ButtonComponent', componentFilePath: 'src/app/button.component.ts',
      selector: 'app-button', inputs: { label: `Save ${i}` }, domSnapshot: '<app-button><button>Save</button></app-button>',
      componentTreePath: ['AppComponent', 'FormComponent'], annotationText: `stored request ${i}`,
    };
  }
  const file = join(tempDir('nga-bench-import-'), 'store.json');
  writeFileSync(file, JSON.stringify({ sessions, annotations }));
  const r = spawnSync(bin, ['import', file, '--root', root], { encoding: 'utf8', timeout: 300000 });
  if (r.status !== 0) throw new Error(`ng-annotate import failed (${r.status}): ${r.stderr}`);
}

// Sends `count` creates at once over the page's socket; resolves with the
// seconds from the first send to the last distinct annotation:created.
async function burst(page, count) {
  const ids = new Set();
  let errors = 0;
  let last;
  const offs = [];
  const done = new Promise((resolve) => {
    offs.push(page.on('annotation:created', (m) => {
      ids.add(m.annotation.id);
      if (ids.size === count) { last = now(); resolve(); }
    }));
    offs.push(page.on('error', () => { if (++errors + ids.size >= count) resolve(); }));
  });
  const t0 = now();
  for (let i = 0; i < count; i++) page.ws.send(createFrame(i));
  await withDeadline(done, `${count} annotation:created`, 300000);
  for (const off of offs) off();
  if (errors) throw new Error(`${errors} creates answered with an error`);
  return ms(t0, last) / 1000;
}

// A session holds at most this many annotations (limits::kAnnotationsPerSession):
// one socket is one session, so a burst over it is at most this long.
export const SESSION_CAP = 2000;

// The median run of `reps`, with the spread, as the table shows it.
function medianOf(runs, count, stored) {
  const sorted = [...runs].sort((a, b) => a.rate - b.rate);
  const mid = sorted[Math.floor(sorted.length / 2)];
  return {
    count, stored, seconds: mid.seconds, rate: mid.rate, reps: runs.length,
    min: sorted[0].rate, max: sorted[sorted.length - 1].rate,
  };
}

// `root`: an already filled project to use instead of a fresh one. Each of
// the `reps` timed bursts goes over a new socket (a new session: a session
// holds at most SESSION_CAP), after an untimed warm-up burst on its own.
export async function ours(bin, wanted, stored, warmup, root = null, reps = 5) {
  const count = Math.min(wanted, SESSION_CAP);
  if (!root) {
    root = tempDir('nga-bench-rate-');
    if (stored > 0) prefill(bin, root, stored);
  }
  const serve = await startServe(bin, root);
  try {
    const warm = await browser(serve.wsUrl);
    if (warmup > 0) await burst(warm, Math.min(warmup, SESSION_CAP));
    warm.ws.close();
    const runs = [];
    for (let r = 0; r < reps; r++) {
      const page = await browser(serve.wsUrl);
      const secs = await burst(page, count);
      page.ws.close();
      runs.push({ seconds: secs, rate: count / secs });
    }
    return medianOf(runs, count, stored);
  } finally {
    await stop(serve.child);
  }
}

async function restCreates(server, sessionId, count, inFlight) {
  let next = 0;
  const worker = async () => {
    while (next < count) await peerCreate(server, sessionId, next++);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

export async function peer(count, stored, inFlight, warmup, reps = 5) {
  const server = await startPeer();
  try {
    // Untimed warm-up in its own session (lets V8 compile the hot path).
    if (warmup > 0) await restCreates(server, await peerSession(server), warmup, inFlight);
    if (stored > 0) {
      // Pre-fill through its own API (untimed), spread over 10 sessions.
      const sessions = [];
      for (let s = 0; s < 10; s++) sessions.push(await peerSession(server));
      for (let s = 0; s < 10; s++) await restCreates(server, sessions[s], Math.ceil(stored / 10), inFlight);
    }
    const runs = [];
    for (let r = 0; r < reps; r++) {
      const sessionId = await peerSession(server);
      const t0 = now();
      await restCreates(server, sessionId, count, inFlight);
      const secs = ms(t0, now()) / 1000;
      runs.push({ seconds: secs, rate: count / secs });
    }
    return medianOf(runs, count, stored);
  } finally {
    await stop(server.child);
  }
}
