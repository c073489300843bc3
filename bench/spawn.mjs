// Figure 4: spawn the stdio MCP server → its answer to `initialize` is read.
// Raw JSON-RPC over the pipes (no SDK) so client overhead stays out.
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { now, ms, summary, tempDir, track, stop, withDeadline, rssKiB, sleep, PEER_CLI } from './lib.mjs';

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'ng-annotate-bench', version: '1.0.0' } },
}) + '\n';

// One spawn: resolves {ms, rssKiB} — the time to the initialize answer and
// the process's RSS right after it (idle MCP server).
async function once(command, args, env, needResult = true) {
  const t0 = now();
  const child = track(spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...env } }));
  child.stdin.write(INITIALIZE);
  const answered = new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      let msg;
      try { msg = JSON.parse(line); } catch { return; }
      if (msg.id === 1) { lines.close(); resolve(msg); }
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before answering initialize`)));
  });
  const msg = await withDeadline(answered, 'the initialize answer', 20000);
  const t1 = now();
  if (needResult && !msg.result) throw new Error(`initialize failed: ${JSON.stringify(msg)}`);
  const rss = rssKiB(child.pid);
  child.stdin.end();
  await stop(child);
  return { ms: ms(t0, t1), rss };
}

async function many(n, command, args, env, needResult = true) {
  const times = [];
  const rss = [];
  for (let i = 0; i < n; i++) {
    const r = await once(command, args, env, needResult);
    times.push(r.ms);
    rss.push(r.rss);
    await sleep(20);
  }
  return { ...summary(times), min: Math.min(...times), rssKiB: summary(rss).p50 };
}

export function ours(bin, n) {
  const root = tempDir('nga-bench-spawn-');
  return many(n, bin, ['mcp', '--root', root], {});
}

// The peer's stdio-only mode; it talks to its HTTP server lazily, per tool
// call, so initialize needs no server behind --http-url.
export function peer(n) {
  const home = tempDir('nga-bench-peer-spawn-');
  return many(n, process.execPath, [PEER_CLI, 'server', '--mcp-only', '--http-url', 'http://127.0.0.1:9'], { HOME: home });
}

// The floor of this measurement: the same spawn and pipes to /bin/cat, which
// echoes the request line back (a tiny, already-cached C program). What ours
// takes beyond this is ours; the rest is Node's spawn and the scheduler.
export function baseline(n) {
  return many(n, '/bin/cat', [], {}, false);
}

// The same figure as a lean client spawns: bench/spawn_probe.cpp (built next
// to the binary) uses posix_spawn, whose cost does not grow with the parent.
// Node's spawn above forks its whole ~50 MB process first: on this kind of VM
// that alone is the ~8 ms floor it shows for /bin/cat.
export const probePath = (bin) => join(dirname(bin), 'spawn_probe');

function probe(bin, n, command, args, env = {}) {
  const exe = probePath(bin);
  if (!existsSync(exe)) throw new Error(`${exe} is not built (cmake --build --preset release)`);
  return new Promise((resolve, reject) => {
    execFile(exe, [String(n), INITIALIZE.trim(), command, ...args],
      { env: { ...process.env, ...env }, timeout: 20000 * n, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`spawn_probe: ${stderr.trim() || err.message}`));
        const times = JSON.parse(stdout).ms;
        resolve({ ...summary(times), min: Math.min(...times) });
      });
  });
}

export const leanOurs = (bin, n) => probe(bin, n, bin, ['mcp', '--root', tempDir('nga-bench-spawn-')]);
export const leanPeer = (bin, n) => probe(bin, n, process.execPath,
  [PEER_CLI, 'server', '--mcp-only', '--http-url', 'http://127.0.0.1:9'], { HOME: tempDir('nga-bench-peer-spawn-') });
export const leanBaseline = (bin, n) => probe(bin, n, '/bin/cat', []);
