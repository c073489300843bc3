// Runs every benchmark, ours and agentation-mcp's side by side, and prints
// one table. A benchmark, not a test: nothing here fails on a slow figure.
//   node bench/main.mjs /abs/path/to/ng-annotate
// Env knobs (defaults in brackets): BENCH_PICKUP_N [200], BENCH_PEER_PICKUP_N
// [20, each ≥ 1 s], BENCH_PUSH_N [200], BENCH_CREATES [5000], BENCH_STORED
// [10000], BENCH_PEER_IN_FLIGHT [16], BENCH_WARMUP [2000], BENCH_SPAWNS [20],
// BENCH_BIG [100000 stored, 0 skips], BENCH_BIG_PENDING [1000], BENCH_PENDING_CALLS [20],
// BENCH_IDLE_TABS [50, 0 skips], BENCH_IDLE_PER_TAB [1000], BENCH_IDLE_SECONDS [10, per form],
// BENCH_FANOUT [500 sockets, 0 skips], BENCH_BURST [2000 sockets, 0 skips];
// BENCH_PEER_UNAVAILABLE=<reason> skips the peer.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { cleanup, peerInstalled, peerPackageVersion } from './lib.mjs';
import * as pickup from './pickup.mjs';
import * as push from './push.mjs';
import * as throughput from './throughput.mjs';
import * as spawnBench from './spawn.mjs';
import * as rss from './rss.mjs';
import * as pending from './pending.mjs';
import * as idle from './idle.mjs';
import * as fanout from './fanout.mjs';
import * as burst from './burst.mjs';
import { tempDir } from './lib.mjs';

const bin = process.argv[2];
if (!bin) {
  console.error('usage: node bench/main.mjs /abs/path/to/ng-annotate');
  process.exit(2);
}
const env = (name, dflt) => Number(process.env[name] ?? dflt);
const N = {
  pickup: env('BENCH_PICKUP_N', 200),
  peerPickup: env('BENCH_PEER_PICKUP_N', 20),
  push: env('BENCH_PUSH_N', 200),
  creates: env('BENCH_CREATES', 5000),
  stored: env('BENCH_STORED', 10000),
  inFlight: env('BENCH_PEER_IN_FLIGHT', 16),
  warmup: env('BENCH_WARMUP', 2000),
  spawns: env('BENCH_SPAWNS', 20),
  big: env('BENCH_BIG', 100000),
  bigPending: env('BENCH_BIG_PENDING', 1000),
  pendingCalls: env('BENCH_PENDING_CALLS', 20),
  idleTabs: env('BENCH_IDLE_TABS', 50),
  idlePerTab: env('BENCH_IDLE_PER_TAB', 1000),
  idleSeconds: env('BENCH_IDLE_SECONDS', 10),
  fanout: env('BENCH_FANOUT', 500),
  burst: env('BENCH_BURST', 2000),
};

let peerDown = process.env.BENCH_PEER_UNAVAILABLE || (peerInstalled() ? '' : 'agentation-mcp is not installed in bench/peer');

process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { cleanup(); process.exit(130); });

const log = (s) => process.stderr.write(`bench: ${s}\n`);

// Runs one side of one figure; a failure becomes the cell's text.
async function side(label, fn) {
  const t = Date.now();
  log(`${label} ...`);
  try {
    const r = await fn();
    log(`${label} done in ${((Date.now() - t) / 1000).toFixed(1)} s: ${JSON.stringify(r)}`);
    return r;
  } catch (e) {
    log(`${label} FAILED: ${e.stack ?? e}`);
    return { error: String(e.message ?? e).split('\n')[0].slice(0, 120) };
  }
}
async function peerSide(label, fn) {
  if (peerDown) return { na: 'not run (see below)' };
  const r = await side(label, fn);
  return r;
}

const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '?');
const latency = (r) => r.na ? `n/a: ${r.na}` : r.error ? `error: ${r.error}` : null;
const pct = (r, key) => latency(r) ?? `${f(r[key].p50)} / ${f(r[key].p99)} ms (n=${r[key].n})`;
const rate = (r) => latency(r) ?? `${Math.round(r.rate).toLocaleString('en-US')}/s (${r.count} in ${f(r.seconds)} s${r.reps ? `; median of ${r.reps}, ${Math.round(r.min).toLocaleString('en-US')}–${Math.round(r.max).toLocaleString('en-US')}` : ''})`;
const mb = (kib) => `${(kib / 1024).toFixed(1)} MB`;

const rows = [];
const row = (figure, ours, peer, target, met) => rows.push({ figure, ours, peer, target, met });
const meets = (r, ok) => (r.error || r.na ? '?' : ok(r) ? 'yes' : 'NO');

// ---- 1. browser create → watch_annotations returns
const p1o = await side('1 pickup (ours)', () => pickup.ours(bin, N.pickup));
// A smoke start of the peer: if it cannot run here, say so once for all figures.
const p1p = await peerSide('1 pickup (agentation-mcp)', () => pickup.peer(N.peerPickup));
if (p1p.error && /exited|did not answer|not installed|Cannot find|ERR_DLOPEN|better_sqlite3/i.test(p1p.error)) {
  peerDown = `cannot run here (${p1p.error})`;
}
row('1. browser create → agent watch returns, p50 / p99', pct(p1o, 'pickup'),
  p1p.pickup ? `${pct(p1p, 'pickup')} [a]` : pct(p1p, 'pickup'),
  'p50 ≤ 1 ms, p99 ≤ 5 ms', meets(p1o, (r) => r.pickup.p50 <= 1 && r.pickup.p99 <= 5));
row('   browser create → its annotation:created', pct(p1o, 'echo'), 'n/a [b]', '', '');
const p1r = await side('1 pickup, raw JSON-RPC agent (ours)', () => pickup.ours(bin, N.pickup, 'raw'));
row('   same pickup, agent without the SDK (raw JSON-RPC lines)', pct(p1r, 'pickup'), 'n/a', '', '');
const p1f = await side('1 pickup floor: three wake-ups through two cat relays', () => pickup.floor(N.pickup));
row('   floor: the same three wake-ups after 20 ms idle, via two `cat`s [l]', pct(p1f, 'pickup'), '', '', '');

// ---- 2. agent resolve → browser receives the update
const p2o = await side('2 push (ours)', () => push.ours(bin, N.push));
const p2p = await peerSide('2 push (agentation-mcp)', () => push.peer(N.push));
row('2. agent resolve → browser sees it, p50 / p99', pct(p2o, 'push'),
  p2p.push ? `${pct(p2p, 'push')} [c]` : pct(p2p, 'push'),
  'p99 ≤ 5 ms', meets(p2o, (r) => r.push.p99 <= 5));
row('   agent resolve call → its result', pct(p2o, 'call'), pct(p2p, 'call'), '', '');

// ---- 3. creates/s
const p3o = await side('3 creates/s, empty (ours)', () => throughput.ours(bin, N.creates, 0, N.warmup));
const p3p = await peerSide('3 creates/s, empty (agentation-mcp)', () => throughput.peer(N.creates, 0, N.inFlight, N.warmup));
const p3os = await side(`3 creates/s, ${N.stored} stored (ours)`, () => throughput.ours(bin, N.creates, N.stored, N.warmup));
const p3ps = await peerSide(`3 creates/s, ${N.stored} stored (agentation-mcp)`, () => throughput.peer(N.creates, N.stored, N.inFlight, N.warmup));
row('3. creates/s, empty store [d]', rate(p3o), rate(p3p),
  '≥ 20 000/s', meets(p3o, (r) => r.rate >= 20000));
row(`   creates/s, ${N.stored.toLocaleString('en-US')} stored`, rate(p3os), rate(p3ps),
  '≥ 20 000/s, no slower', meets(p3os, (r) => r.rate >= 20000 && (!p3o.rate || r.rate >= 0.9 * p3o.rate)));

// ---- 3b/6. a big store: creates/s and get_all_pending (ours only: the peer
// keeps everything in memory, and filling it through its REST API would take
// most of the run)
if (N.big > 0) {
  let bigRoot = null;
  const filled = await side(`6 fill ${N.big} stored, ${N.bigPending} pending (ours, untimed)`, async () => {
    bigRoot = tempDir('nga-bench-big-');
    throughput.prefill(bin, bigRoot, N.big, N.bigPending);
    return { ok: true };
  });
  const p6 = filled.error ? filled : await side('6 get_all_pending (ours)', () => pending.ours(bin, bigRoot, N.pendingCalls));
  const p3ob = filled.error ? filled : await side(`3 creates/s, ${N.big} stored (ours)`, () => throughput.ours(bin, N.creates, N.big, N.warmup, bigRoot));
  row(`   creates/s, ${N.big.toLocaleString('en-US')} stored`, rate(p3ob), 'not run [g]',
    '≥ 20 000/s, ≥ 0.8 × empty', meets(p3ob, (r) => r.rate >= 20000 && (!p3o.rate || r.rate >= 0.8 * p3o.rate)));
  const pend = (r, k) => latency(r) ?? `${f(r[k].p50)} / ${f(r[k].p99)} ms (n=${r[k].n}, ${r[k].count} items)`;
  row(`6. get_all_pending, ${N.bigPending} of ${N.big.toLocaleString('en-US')}: raw stdio JSON-RPC [h]`, pend(p6, 'raw'), 'not run [g]',
    '≤ 10 ms in the server', meets(p6, (r) => r.raw.p50 <= 10));
  row('   same, MCP SDK round trip, p50 / p99', pend(p6, 'sdk'), 'not run [g]', '≤ 30 ms', meets(p6, (r) => r.sdk.p50 <= 30));
}

// ---- 4. MCP spawn → initialize answered
const p4lo = await side('4 mcp spawn, posix_spawn (ours)', () => spawnBench.leanOurs(bin, N.spawns));
const p4lp = await peerSide('4 mcp spawn, posix_spawn (agentation-mcp)', () => spawnBench.leanPeer(bin, N.spawns));
const p4lb = await side('4 spawn floor, posix_spawn: /bin/cat echo', () => spawnBench.leanBaseline(bin, N.spawns));
const p4o = await side('4 mcp spawn, Node (ours)', () => spawnBench.ours(bin, N.spawns));
const p4p = await peerSide('4 mcp spawn, Node (agentation-mcp)', () => spawnBench.peer(N.spawns));
const p4b = await side('4 spawn floor, Node: /bin/cat echo', () => spawnBench.baseline(N.spawns));
const spawnCell = (r) => latency(r) ?? `${f(r.p50, 1)} ms median, min ${f(r.min, 1)}, max ${f(r.p99, 1)} (n=${r.n})`;
row('4. stdio MCP spawn → initialize answered (posix_spawn) [e]', spawnCell(p4lo), spawnCell(p4lp),
  '≤ 10 ms', meets(p4lo, (r) => r.p50 <= 10));
row('   floor: posix_spawn + pipes to /bin/cat (echo)', spawnCell(p4lb), '', '', '');
row('   same, spawned from Node (child_process.spawn) [k]', spawnCell(p4o), spawnCell(p4p), '(floor below)', '');
row('   floor: Node spawn + pipes to /bin/cat (echo)', spawnCell(p4b), '', '', '');
row('   RSS of that MCP process after initialize', latency(p4o) ?? mb(p4o.rssKiB), latency(p4p) ?? mb(p4p.rssKiB), '', '');

// ---- 5. idle RSS
const p5o = await side('5 idle RSS (ours)', () => rss.ours(bin));
const p5p = await peerSide('5 idle RSS (agentation-mcp)', () => rss.peer());
row('5. idle RSS of the server, one client [f]', latency(p5o) ?? mb(p5o.rssKiB), latency(p5p) ?? mb(p5p.rssKiB),
  '≤ 10 MB', meets(p5o, (r) => r.rssKiB <= 10 * 1024));

// ---- 7. idle serve with many full tabs: the overlay (proto=2, the target's
// form) and ng-annotate-mcp's client (no proto: every sync is the full list)
if (N.idleTabs > 0) {
  const p7 = await side(`7 idle serve, ${N.idleTabs} tabs × ${N.idlePerTab} (ours, proto=2 then legacy)`, () => idle.ours(bin, N.idleTabs, N.idlePerTab, N.idleSeconds));
  const cpu = (r) => `${f(r.cpuPercent)} % of a core over ${f(r.seconds, 1)} s (${r.cpuTicks} ticks of 1/${r.hz} s)`;
  const kbs = (r) => `${r.kbPerSec.toLocaleString('en-US', { maximumFractionDigits: r.kbPerSec < 100 ? 2 : 0 })} KB/s (on the wire ${r.wireKbPerSec.toLocaleString('en-US', { maximumFractionDigits: r.wireKbPerSec < 100 ? 2 : 0 })})`;
  const tabsLabel = `${N.idleTabs} tabs × ${N.idlePerTab.toLocaleString('en-US')}`;
  row(`7. idle serve, ${tabsLabel}, overlay (proto=2): CPU [i]`, latency(p7) ?? cpu(p7.overlay),
    'not run [g]', '≤ 1 %', meets(p7, (r) => r.overlay.cpuPercent <= 1));
  row('   same: bytes/s received by all tabs', latency(p7) ?? kbs(p7.overlay), 'not run [g]', '≤ 10 KB/s',
    meets(p7, (r) => r.overlay.kbPerSec <= 10 && r.overlay.wireKbPerSec <= 10));
  row(`   idle serve, ${tabsLabel}, legacy full sync (no proto): CPU`, latency(p7) ?? cpu(p7.legacy), 'not run [g]', '(none)', '');
  row('   same: bytes/s received by all tabs', latency(p7) ?? kbs(p7.legacy), 'not run [g]', '(none)', '');
}

// ---- 8. fan-out: many sockets on many sessions
if (N.fanout > 0) {
  const p8 = await side(`8 fan-out, ${N.fanout} sockets (ours)`, () => fanout.ours(bin, N.fanout));
  row(`8. fan-out: ${N.fanout} sockets on ${N.fanout} sessions, resolve → its socket [j]`, pct(p8, 'push'), 'not run [g]',
    'p99 ≤ 10 ms', meets(p8, (r) => r.push.p99 <= 10));
}

// ---- 9. a connect burst beside a good browser
if (N.burst > 0) {
  const p9 = await side(`9 connect burst, ${N.burst} sockets (ours)`, () => burst.ours(bin, N.burst));
  const trip = (r) => `max ${f(r.max)} ms (p50 ${f(r.p50)}, p99 ${f(r.p99)}, n=${r.n})`;
  row(`9. good browser's create → created during a ${N.burst.toLocaleString('en-US')}-socket connect burst [m]`,
    latency(p9) ?? `${trip(p9.during)}; burst ${f(p9.burstSeconds, 1)} s`, 'not run [g]', '(none)', '');
  row('   same browser, no burst (baseline)', latency(p9) ?? trip(p9.baseline), 'not run [g]', '', '');
}

// ---- the table
const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
const peerVersion = peerDown ? '' : ` ${peerPackageVersion()}`;
const header = { figure: 'figure', ours: `ours (${version || 'ng-annotate'})`, peer: `agentation-mcp${peerVersion}`, target: '§11 target', met: 'met' };
const all = [header, ...rows];
const width = (k) => Math.max(...all.map((r) => [...r[k]].length));
const pad = (s, w) => s + ' '.repeat(Math.max(0, w - [...s].length));
const keys = ['figure', 'ours', 'peer', 'target', 'met'];
const line = (r) => keys.map((k) => pad(r[k], width(k))).join(' | ').trimEnd();
console.log('');
console.log(`ng-annotate benchmark — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, 127.0.0.1 only`);
console.log('');
console.log(line(header));
console.log(keys.map((k) => '-'.repeat(width(k))).join('-|-'));
for (const r of rows) console.log(line(r));
console.log('');
if (peerDown) console.log(`agentation-mcp: n/a — ${peerDown}\n`);
const notes = [
  `[a] its watch returns only after its batch window (batchWindowSeconds=1, its minimum), so ${N.peerPickup} rounds, not ${N.pickup}; browser side = its REST create.`,
  '[b] the peer\'s browser side is REST: its create round trip is what 3. measures.',
  '[c] browser side = its SSE stream GET /sessions/:id/events; agent = its stdio MCP (--mcp-only) over the SDK.',
  `[d] ours: ${Math.min(N.creates, throughput.SESSION_CAP)} annotation:create frames pipelined over one WebSocket (one session holds at most ${throughput.SESSION_CAP}); peer: ${N.creates} REST POSTs, ${N.inFlight} in flight on keep-alive sockets; both after ${N.warmup} untimed warm-up creates.`,
  `[e] raw JSON-RPC over stdio (no SDK), timed by bench/spawn_probe (posix_spawn, two pipes: how a lean client starts a server); peer = node dist/cli.js server --mcp-only. With n=${N.spawns}, p99 is the max.`,
  '[f] VmRSS from /proc; ours = ng-annotate serve with one WebSocket; peer = agentation-mcp server (HTTP + stdio MCP) with one SSE stream.',
  '[g] the peer keeps its store in memory and offers no bulk import; filling it with 100 000 through its REST API would take most of the run.',
  '[h] request line written → response line read, over the pipes of `ng-annotate mcp`: the server\'s time plus two pipe hops and Node splitting a ~1 MB line; the in-server query alone is BM_ListPending in bench/store_bench.cpp.',
  `[i] every socket on its own session, all annotations pending; only the 2 s sync runs; ${N.idleSeconds} s window after the first sync + one round; CPU = utime + stime of serve from /proc/PID/stat. overlay = ?sessionId=…&proto=2 as client/src/connection.js, with its session:ping every 30 s: an unchanged session's sync is annotations:unchanged. legacy = no proto, ng-annotate-mcp's client: every sync is the full list (no target; shown for comparison). Bytes = WebSocket message payloads; "on the wire" = what the TCP sockets read.`,
  '[j] every socket on its own session with one annotation; the agent (SDK, separate mcp process) resolves them one by one while all stay connected.',
  '[k] the same spawn from this Node process (as a Node-based agent does): Node forks its whole process before exec, which on this kind of VM costs what its /bin/cat floor shows whatever is spawned; what ours adds over that floor is the comparable part.',
  '[l] this process → cat → cat → this process over pipes, with the same 20 ms idle before each round as the pickup: what waking three idle processes in turn costs on this machine, with no work done.',
  `[m] one browser, already connected, creates one annotation every 10 ms and waits for its annotation:created; meanwhile a worker thread opens ${N.burst} WebSockets at once, each a new session, until each has its session:created. Baseline: 200 such round trips just before.`,
  'Latencies: process.hrtime.bigint() in this Node process, real clients (ws, MCP TypeScript SDK over stdio), p99 nearest-rank.',
  `Load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')} — this machine may be shared; rerun for steadier figures.`,
];
for (const n of notes) console.log(n);
