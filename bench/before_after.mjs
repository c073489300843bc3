// The Linux figures of two builds side by side, the same code as `make bench`
// runs: pickup (figure 1), push (2), creates/s over one socket (3),
// get_all_pending of 1 000 in 100 000 (6), spawn → initialize through
// posix_spawn (4), idle RSS (5), idle CPU with 50 full tabs (7), fan-out over
// 500 sockets (8), and the cold manifest scan of 5 000 components
// (manifest_scan.mjs). On a machine other work shares, one run says little:
// the two binaries take turns, round by round (which goes first alternates),
// and each figure is the median of the rounds' figures with their range.
//
//   node bench/before_after.mjs OLD_BIN NEW_BIN [rounds]
//
// Knobs (per round unless said): BENCH_PICKUP_N [100], BENCH_SPAWNS [20],
// BENCH_CREATE_REPS [3 bursts of 2 000], BENCH_BIG [100000 stored, filled
// once per binary; 0 skips figure 6], BENCH_PENDING_CALLS [20],
// BENCH_IDLE_TABS [50, 0 skips; filled once per binary], BENCH_IDLE_SECONDS
// [10], BENCH_FANOUT [500, 0 skips], BENCH_COMPONENTS [5000, 0 skips; one
// project for both], BENCH_MANIFEST_RUNS [3]. spawn_probe is taken from
// beside NEW_BIN for both (it only times what it spawns).
//
// The last column says where the new binary's median falls against the old
// binary's own range over the rounds: "worse" only when it is outside that
// range on the worse side, so that the noise of a shared machine is not read
// as a change.
import { symlinkSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanup, tempDir } from './lib.mjs';
import * as pickup from './pickup.mjs';
import * as push from './push.mjs';
import * as throughput from './throughput.mjs';
import * as pending from './pending.mjs';
import * as spawnBench from './spawn.mjs';
import * as rss from './rss.mjs';
import * as idle from './idle.mjs';
import * as fanout from './fanout.mjs';
import * as manifestScan from './manifest_scan.mjs';

const [oldArg, newArg, roundsArg] = process.argv.slice(2);
if (!oldArg || !newArg) {
  console.error('usage: node bench/before_after.mjs OLD_BIN NEW_BIN [rounds]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 5);
const n = (name, fallback) => Number(process.env[name] ?? fallback);
const N = {
  pickup: n('BENCH_PICKUP_N', 100),
  spawns: n('BENCH_SPAWNS', 20),
  createReps: n('BENCH_CREATE_REPS', 3),
  big: n('BENCH_BIG', 100000),
  bigPending: 1000,
  pendingCalls: n('BENCH_PENDING_CALLS', 20),
  idleTabs: n('BENCH_IDLE_TABS', 50),
  idlePerTab: 1000,
  idleSeconds: n('BENCH_IDLE_SECONDS', 10),
  fanout: n('BENCH_FANOUT', 500),
  components: n('BENCH_COMPONENTS', 5000),
  manifestRuns: n('BENCH_MANIFEST_RUNS', 3),
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const log = (s) => console.error(`before_after: ${s}`);

// spawn.mjs finds spawn_probe beside the binary: give the old one a
// directory with both.
function withProbe(bin, probeFrom) {
  const dir = tempDir('nga-bench-ab-');
  symlinkSync(resolve(bin), join(dir, 'ng-annotate'));
  symlinkSync(spawnBench.probePath(resolve(probeFrom)), join(dir, 'spawn_probe'));
  return join(dir, 'ng-annotate');
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { cleanup(); process.exit(130); });

const builds = { before: withProbe(oldArg, newArg), after: withProbe(newArg, newArg) };

// Untimed set-up, once per binary before the rounds: each fills its own
// store (the two builds' schemas may differ), with its own `import`.
const stores = { before: {}, after: {} };
for (const side of ['before', 'after']) {
  const bin = builds[side];
  if (N.big > 0) {
    log(`${side}: filling ${N.big} stored, ${N.bigPending} pending`);
    stores[side].big = tempDir('nga-bench-ab-big-');
    throughput.prefill(bin, stores[side].big, N.big, N.bigPending);
  }
  if (N.idleTabs > 0) {
    log(`${side}: filling ${N.idleTabs} tabs × ${N.idlePerTab}`);
    stores[side].idle = tempDir('nga-bench-ab-idle-');
    stores[side].idleIds = idle.fill(bin, stores[side].idle, N.idleTabs, N.idlePerTab);
  }
}
// The manifest only reads the project: one for both.
let manifestRoot = null;
if (N.components > 0) {
  log(`generating ${N.components} components`);
  manifestRoot = tempDir('nga-bench-ab-manifest-');
  manifestScan.generate(manifestRoot, N.components);
}

// [name, run(bin, side) → result, pick(result) → [main, second?], lower is better?]
const figures = [
  ['1. browser create → agent watch returns: p50 (range); p99, ms',
    async (bin) => (await pickup.ours(bin, N.pickup)).pickup, (r) => [r.p50, r.p99], true],
  ['2. agent resolve → browser sees it: p50 (range); p99, ms',
    async (bin) => (await push.ours(bin, N.pickup)).push, (r) => [r.p50, r.p99], true],
  [`3. creates/s over one socket, empty store: median of ${N.createReps} bursts of ${throughput.SESSION_CAP} (range); slowest burst`,
    (bin) => throughput.ours(bin, throughput.SESSION_CAP, 0, throughput.SESSION_CAP, null, N.createReps),
    (r) => [r.rate, r.min], false],
  ...(N.big > 0 ? [[`6. get_all_pending, ${N.bigPending} of ${N.big}, raw stdio: p50 (range); SDK p50, ms`,
    (bin, side) => pending.ours(bin, stores[side].big, N.pendingCalls), (r) => [r.raw.p50, r.sdk.p50], true]] : []),
  ['4. stdio spawn → initialize (posix_spawn): median (range); fastest, ms',
    (bin) => spawnBench.leanOurs(bin, N.spawns), (r) => [r.p50, r.min], true],
  ['5. idle serve RSS, one client: MB (range)', (bin) => rss.ours(bin), (r) => [r.rssKiB / 1024], true],
  ...(N.idleTabs > 0 ? [[`7. idle serve, ${N.idleTabs} tabs × ${N.idlePerTab} (proto=2): % of a core over ${N.idleSeconds} s (range)`,
    (bin, side) => idle.measure(bin, stores[side].idle, stores[side].idleIds, N.idleSeconds, 2),
    (r) => [r.cpuPercent], true]] : []),
  ...(N.fanout > 0 ? [[`8. fan-out, ${N.fanout} sockets, resolve → its socket: p99 (range); p50, ms`,
    async (bin) => (await fanout.ours(bin, N.fanout)).push, (r) => [r.p99, r.p50], true]] : []),
  ...(N.components > 0 ? [[`manifest scan cold, ${N.components} components, whole process: median of ${N.manifestRuns} (range); fastest, ms`,
    (bin) => Array.from({ length: N.manifestRuns }, () => manifestScan.timeOnce(bin, manifestRoot, N.components)),
    (runs) => [median(runs), Math.min(...runs)], true]] : []),
];

const seen = { before: figures.map(() => []), after: figures.map(() => []) };
const load = [loadavg()[0]];
const started = new Date();
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
  for (const side of order) {
    for (const [i, [name, run, pick]] of figures.entries()) {
      try {
        seen[side][i].push(pick(await run(builds[side], side)));
      } catch (error) {
        console.error(`${side} ${name}: ${error.message}`);
      }
    }
  }
  load.push(loadavg()[0]);
  log(`round ${round + 1}/${rounds} done, load ${loadavg()[0].toFixed(2)}`);
}
cleanup();

const fmt = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
// "median (min–max over rounds)" of the first number; the second, when
// there is one, as its median.
function cell(values) {
  if (values.length === 0) return 'failed';
  const first = values.map((v) => v[0]);
  let text = `${fmt(median(first))} (${fmt(Math.min(...first))}–${fmt(Math.max(...first))})`;
  if (values[0].length > 1) text += `; ${fmt(median(values.map((v) => v[1])))}`;
  return `${text}, ${values.length} rounds`;
}
// Where the new median falls against the old binary's own range.
function verdict(before, after, lowerIsBetter) {
  if (before.length === 0 || after.length === 0) return '?';
  const b = before.map((v) => v[0]);
  const a = median(after.map((v) => v[0]));
  const [lo, hi] = [Math.min(...b), Math.max(...b)];
  if (a >= lo && a <= hi) return 'within';
  const higher = a > hi;
  return higher === lowerIsBetter ? 'WORSE' : 'better';
}
console.log(`| figure | before (${oldArg}) | after (${newArg}) | after's median vs before's range |`);
console.log('|---|---|---|---|');
for (const [i, [name, , , lowerIsBetter]] of figures.entries()) {
  console.log(`| ${name} | ${cell(seen.before[i])} | ${cell(seen.after[i])} | ${verdict(seen.before[i], seen.after[i], lowerIsBetter)} |`);
}
console.log(`\n${started.toISOString()} – ${new Date().toISOString()}; rounds: ${rounds}; ` +
  `knobs: ${JSON.stringify(N)}; 1-min load average at the start and after each round: ` +
  `${load.map((l) => l.toFixed(2)).join(', ')}`);
process.exit(0);
