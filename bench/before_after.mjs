// The Linux figures of two builds side by side: pickup (figure 1), push
// (figure 2), spawn → initialize through posix_spawn (figure 4) and the idle
// server's RSS (figure 5), the same code as `make bench` runs. On a machine
// other work shares, one run says little: the two binaries take turns, round
// by round (which goes first alternates), and each figure is the median of
// the rounds' figures with their range.
//
//   node bench/before_after.mjs OLD_BIN NEW_BIN [rounds]
//
// Knobs: BENCH_PICKUP_N [100], BENCH_SPAWNS [20] per round. spawn_probe is
// taken from beside NEW_BIN for both (it only times what it spawns).
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cleanup } from './lib.mjs';
import * as pickup from './pickup.mjs';
import * as push from './push.mjs';
import * as spawnBench from './spawn.mjs';
import * as rss from './rss.mjs';

const [oldArg, newArg, roundsArg] = process.argv.slice(2);
if (!oldArg || !newArg) {
  console.error('usage: node bench/before_after.mjs OLD_BIN NEW_BIN [rounds]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 5);
const n = (name, fallback) => Number(process.env[name] ?? fallback);
const N = { pickup: n('BENCH_PICKUP_N', 100), spawns: n('BENCH_SPAWNS', 20) };

// spawn.mjs finds spawn_probe beside the binary: give the old one a
// directory with both.
function withProbe(bin, probeFrom) {
  const dir = mkdtempSync(join(tmpdir(), 'nga-bench-ab-'));
  symlinkSync(resolve(bin), join(dir, 'ng-annotate'));
  symlinkSync(spawnBench.probePath(resolve(probeFrom)), join(dir, 'spawn_probe'));
  return join(dir, 'ng-annotate');
}
const builds = { before: withProbe(oldArg, newArg), after: withProbe(newArg, newArg) };

const figures = [
  ['1. browser create → agent watch returns: p50 (range); p99, ms', async (bin) => (await pickup.ours(bin, N.pickup)).pickup,
    (r) => [r.p50, r.p99]],
  ['2. agent resolve → browser sees it: p50 (range); p99, ms', async (bin) => (await push.ours(bin, N.pickup)).push,
    (r) => [r.p50, r.p99]],
  ['4. stdio spawn → initialize (posix_spawn): median (range); fastest, ms', (bin) => spawnBench.leanOurs(bin, N.spawns),
    (r) => [r.p50, r.min]],
  ['5. idle serve RSS, one client: MB (range)', (bin) => rss.ours(bin), (r) => [r.rssKiB / 1024]],
];

const seen = { before: figures.map(() => []), after: figures.map(() => []) };
const load = [loadavg()[0]];
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
  for (const side of order) {
    for (const [i, [name, run, pick]] of figures.entries()) {
      try {
        seen[side][i].push(pick(await run(builds[side])));
      } catch (error) {
        console.error(`${side} ${name}: ${error.message}`);
      }
    }
  }
  load.push(loadavg()[0]);
  console.error(`round ${round + 1}/${rounds} done, load ${loadavg()[0].toFixed(2)}`);
}
cleanup();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const fmt = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
// "median (min–max over rounds)" of the first number; the second, when
// there is one (p99, or the fastest spawn), as its median.
function cell(values) {
  if (values.length === 0) return 'failed';
  const first = values.map((v) => v[0]);
  let text = `${fmt(median(first))} (${fmt(Math.min(...first))}–${fmt(Math.max(...first))})`;
  if (values[0].length > 1) text += `; ${fmt(median(values.map((v) => v[1])))}`;
  return `${text}, ${values.length} rounds`;
}
console.log(`| figure | before (${oldArg}) | after (${newArg}) |`);
console.log('|---|---|---|');
for (const [i, [name]] of figures.entries()) {
  console.log(`| ${name} | ${cell(seen.before[i])} | ${cell(seen.after[i])} |`);
}
console.log(`\nrounds: ${rounds}, pickup/push n=${N.pickup} per round, spawns n=${N.spawns} per round; ` +
  `1-min load average per round: ${load.map((l) => l.toFixed(2)).join(', ')}`);
process.exit(0);
