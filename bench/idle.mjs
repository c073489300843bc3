// Idle `serve` with `tabs` sockets, each on its own session holding
// `perTab` annotations (SPEC §11 / issue 10: 50 tabs × 1 000, ≤ 1 % of a core
// and ≤ 10 KB/s in total). Nothing happens but the 2 s annotations:sync;
// measured over `seconds`: the server's CPU (utime + stime from
// /proc/PID/stat) and the bytes the sockets receive. Today's protocol: every
// sync is the full list (the compact proto=2 form is on the harden branch).
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket, tempDir, startServe, stop, sleep, withDeadline } from './lib.mjs';

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);  // utime + stime (fields 14, 15)
}

function fill(bin, root, tabs, perTab) {
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

export async function ours(bin, tabs, perTab, seconds) {
  const root = tempDir('nga-bench-idle-');
  const ids = fill(bin, root, tabs, perTab);
  const serve = await startServe(bin, root);
  const sockets = [];
  let bytes = 0;
  try {
    for (const id of ids) {
      const ws = new WebSocket(`${serve.wsUrl}?sessionId=${id}`, { maxPayload: 256 * 1024 * 1024 });
      ws.on('message', (data) => { bytes += data.length; });
      await withDeadline(new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); }), 'a socket to open');
      sockets.push(ws);
    }
    await sleep(2500);  // connect frames done, one sync round in
    const ticks0 = cpuTicks(serve.child.pid);
    const bytes0 = bytes;
    const t0 = Date.now();
    await sleep(seconds * 1000);
    const secs = (Date.now() - t0) / 1000;
    const cpuSecs = (cpuTicks(serve.child.pid) - ticks0) / 100;  // CLK_TCK = 100 on Linux
    return { tabs, perTab, seconds: secs, cpuPercent: (100 * cpuSecs) / secs, kbPerSec: (bytes - bytes0) / 1024 / secs };
  } finally {
    for (const ws of sockets) ws.terminate();
    await stop(serve.child);
  }
}
