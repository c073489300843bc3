// Idle `serve` with `tabs` sockets, each on its own session holding
// `perTab` annotations (SPEC §11 / issue 10: 50 tabs × 1 000, ≤ 1 % of a core
// and ≤ 10 KB/s in total). Nothing happens but the 2 s sync. Two forms, each
// on a fresh `serve` over the same store:
//   overlay: the sockets connect as client/src/connection.js does
//            (?sessionId=…&proto=2) and send its session:ping every 30 s
//            (staggered over the tabs); an unchanged session's sync is
//            annotations:unchanged. The target is for this form.
//   legacy:  no proto (ng-annotate-mcp's client): every sync is the full list.
// Measured over `seconds`, once every socket has had its first sync and one
// 2 s round has passed: the server's CPU (utime + stime of all its threads,
// from /proc/PID/stat, in CLK_TCK ticks), the message bytes all sockets
// receive, and the bytes their TCP sockets read (frame headers included).
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket, tempDir, startServe, stop, sleep, withDeadline } from './lib.mjs';

const PING_EVERY_MS = 30000;  // client/src/connection.js startPing()

function clockTicksPerSecond() {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
}

function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);  // utime + stime (fields 14, 15)
}

export function fill(bin, root, tabs, perTab) {
  const t = new Date(Date.now() - 3600000).toISOString();
  const sessions = {};
  const annotations = {};
  const ids = [];
  for (let s = 0; s < tabs; s++) {
    const id = randomUUID();
    ids.push(id);
    sessions[id] = { id, createdAt: t, lastSeenAt: t, active: false, url: `http://localhost:4200/${s}`, yoloMode: false };
    for (let i = 0; i < perTab; i++) {
      const aid = randomUUID();
      annotations[aid] = {
        id: aid, sessionId: id, createdAt: t, updatedAt: t, status: 'pending', replies: [],
        componentName: 'ButtonComponent', componentFilePath: 'src/app/button.component.ts',
        selector: 'app-button', inputs: { label: `Save ${i}` }, domSnapshot: '<app-button><button>Save</button></app-button>',
        componentTreePath: ['AppComponent'], annotationText: `request ${i}`,
      };
    }
  }
  const file = join(tempDir('nga-bench-idle-import-'), 'store.json');
  writeFileSync(file, JSON.stringify({ sessions, annotations }));
  const r = spawnSync(bin, ['import', file, '--root', root], { encoding: 'utf8', timeout: 300000 });
  if (r.status !== 0) throw new Error(`ng-annotate import failed (${r.status}): ${r.stderr}`);
  return ids;
}

// One tab: resolves once its first annotations:sync is in.
async function tab(wsUrl, sessionId, proto, counters) {
  const query = `sessionId=${encodeURIComponent(sessionId)}${proto >= 2 ? '&proto=2' : ''}`;
  const ws = new WebSocket(`${wsUrl}?${query}`, { maxPayload: 256 * 1024 * 1024 });
  let socket = null;
  ws.once('upgrade', (res) => { socket = res.socket; });
  const synced = new Promise((resolve) => {
    ws.on('message', (data) => {
      counters.bytes += data.length;
      // Only the type: parsing a 460 KB sync 50 times per round would make
      // this process, not the server, the bottleneck.
      const head = data.subarray(0, 48).toString('latin1');
      const type = /"type":"([^"]+)"/.exec(head)?.[1] ?? '?';
      counters.frames[type] = (counters.frames[type] ?? 0) + 1;
      if (type === 'annotations:sync' || type === 'annotations:unchanged') resolve();
    });
  });
  await withDeadline(new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); }), 'a socket to open');
  await withDeadline(synced, 'the first annotations:sync', 60000);
  return { ws, wireBytes: () => socket?.bytesRead ?? 0 };
}

export async function measure(bin, root, ids, seconds, proto) {
  const serve = await startServe(bin, root);
  const tabs = [];
  const timers = [];
  const counters = { bytes: 0, frames: {} };
  try {
    for (const id of ids) tabs.push(await tab(serve.wsUrl, id, proto, counters));
    if (proto >= 2) {
      tabs.forEach((t, i) => {
        const first = setTimeout(() => {
          const ping = () => { if (t.ws.readyState === WebSocket.OPEN) t.ws.send('{"type":"session:ping"}'); };
          ping();
          timers.push(setInterval(ping, PING_EVERY_MS));
        }, Math.round((i * PING_EVERY_MS) / tabs.length));
        timers.push(first);
      });
    }
    await sleep(2500);  // one 2 s sync round in after the connect frames
    const hz = clockTicksPerSecond();
    const wire0 = tabs.reduce((s, t) => s + t.wireBytes(), 0);
    const bytes0 = counters.bytes;
    const frames0 = { ...counters.frames };
    const ticks0 = cpuTicks(serve.child.pid);
    const t0 = process.hrtime.bigint();
    await sleep(seconds * 1000);
    const ticks1 = cpuTicks(serve.child.pid);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const wire1 = tabs.reduce((s, t) => s + t.wireBytes(), 0);
    const frames = {};
    for (const [type, n] of Object.entries(counters.frames)) {
      if (n - (frames0[type] ?? 0) > 0) frames[type] = n - (frames0[type] ?? 0);
    }
    const cpuSecs = (ticks1 - ticks0) / hz;
    return {
      proto, seconds: secs, cpuPercent: (100 * cpuSecs) / secs, cpuTicks: ticks1 - ticks0, hz,
      kbPerSec: (counters.bytes - bytes0) / 1024 / secs, wireKbPerSec: (wire1 - wire0) / 1024 / secs, frames,
    };
  } finally {
    for (const t of timers) clearTimeout(t);
    for (const t of tabs) t.ws.terminate();
    await stop(serve.child);
  }
}

export async function ours(bin, tabs, perTab, seconds) {
  const root = tempDir('nga-bench-idle-');
  const ids = fill(bin, root, tabs, perTab);
  const overlay = await measure(bin, root, ids, seconds, 2);
  const legacy = await measure(bin, root, ids, seconds, 1);
  return { tabs, perTab, overlay, legacy };
}
