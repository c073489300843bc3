// The user's dev loop with and without the integration (SPEC §11): a generated
// app of 1 000 components per framework (React, Vue, Svelte, on the fixture
// apps' own installs of Vite and the framework plugin), each measured as
//   cold start  spawn `vite` with an empty deps cache → all 1 000 components in the DOM
//   warm start  the same with the deps cache kept (Vite keeps no transform cache)
//   HMR         write one component's file → its new text in the DOM
//   JS bytes    bodies of every script the page loaded (the overlay's included)
// in headless Chromium. "with" is `plugins: [framework(), ngAnnotate()]` (the
// plugin as the fixture app installed it, the daemon included: re-run
// `make setup` after changing packages/vite-plugin), "without" the framework
// alone.
// Rounds interleave the two (ABBA), so a busy machine slows both alike. Wall
// time swings with whatever else the machine runs (±30 % between runs of the
// same code on a shared 2-core VM), so each start and edit also reports the
// CPU time of the dev server's process tree (a start: user + system from
// /proc/<pid>/stat; an edit: its threads' run time from schedstat, in ns; the
// daemon the plugin starts is its child, so it counts):
// the work done for the page, far less sensitive to the others' load (it
// leaves out the browser's own parse and run). The table prints medians, their
// ratio against the targets, and the range of the per-round ratios (each
// round's "with" over the same round's "without"), side by side, and a 95 %
// confidence interval of the typical per-round ratio (the geometric mean, with
// Student's t over the rounds' log ratios): a target is "met" when the whole
// interval is under it, "OVER" when the whole interval is above it, and
// "unsure" when the interval straddles it (more rounds narrow it; on a noisy
// VM the median of a few rounds cannot tell 5 % from none, issue 22).
//   node bench/devloop.mjs /abs/path/to/ng-annotate [--rounds N] [--only react,vue,svelte] [--components N]
//     [--options '{"overlay":false}']   (ngAnnotate()'s options in "with", to see what costs what)
//     [--control]   (an A/A run: "with" without the plugin as well, to see the machine's noise)
//     [--phases cold,warm,hmr]   (what each round measures; without cold, one uncounted start
//     per variant fills its deps cache first: many warm-only rounds narrow the interval cheaply)
//     [--node-args '--cpu-prof --cpu-prof-dir=/tmp/prof/{name}-{variant}-{start}']   (for the dev server's Node:
//     profiles; {name} becomes the app, {variant} with|without, {start} cold|warm, to keep them apart)
//     [--save run.json]   (every round's values, per app, variant and measure, written as each app
//     finishes: runs decided on beforehand can then be pooled round by round, not from their summaries)
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg as osLoadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ratioInterval, verdict } from './ratio.mjs';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const TARGETS = { cold: 1.05, coldCpu: 1.05, warm: 1.05, warmCpu: 1.05, hmr: 1.10, hmrCpu: 1.10, bytes: 1.05 };

const args = process.argv.slice(2);
const BIN = args[0];
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i === -1 ? dflt : args[i + 1]; };
// Rounds come in ABBA pairs (each variant first as often as second), so an
// even number: with an odd one the variant that went first in the extra
// round gets its order effects counted once more.
const ROUNDS = Number(opt('rounds', 6));
const COMPONENTS = Number(opt('components', 1000));
const ONLY = opt('only', 'react,vue,svelte').split(',');
const OPTIONS = opt('options', '');
// --control: "with" runs without the plugin too (an A/A run): its ratios are
// what this machine's noise alone makes of two identical dev servers, the
// floor under which a with/without ratio says nothing.
const CONTROL = args.includes('--control');
const NODE_ARGS = opt('node-args', '').split(' ').filter(Boolean);
const PHASES = opt('phases', 'cold,warm,hmr').split(',');
const HMR_EDITS = 3;
const SAVE = opt('save', '');
if (!PHASES.length || PHASES.some((p) => !['cold', 'warm', 'hmr'].includes(p))) { console.error(`devloop: --phases takes cold, warm and hmr, not ${opt('phases')}`); process.exit(2); }
if (!(ROUNDS >= 2 && ROUNDS % 2 === 0)) { console.error(`devloop: --rounds must be even and at least 2 (ABBA pairs), not ${opt('rounds')}`); process.exit(2); }
if (!BIN || !existsSync(BIN)) { console.error('usage: node bench/devloop.mjs /abs/path/to/ng-annotate [--rounds N] [--only react,vue,svelte]'); process.exit(2); }

// The processes under `pid` (itself included), with each one's CPU ticks
// (user + system, with what it collected of children that already ended).
// Linux only (/proc).
function processTree(pid) {
  const procs = new Map(); // pid → {ppid, ticks}
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat;
    try { stat = readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; } // gone meanwhile
    // Fields after the command name (which may hold spaces and parentheses).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    procs.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
  }
  const tree = new Set([pid]);
  for (let grown = true; grown;) {
    grown = false;
    for (const [p, { ppid }] of procs) if (!tree.has(p) && tree.has(ppid)) { tree.add(p); grown = true; }
  }
  return [...tree].map((p) => ({ pid: p, ticks: procs.get(p)?.ticks ?? 0 }));
}

// CPU time (ms) of `pid`'s tree, children that already ended included: for
// a start, where short-lived children (esbuild's optimizer) do real work.
// Its unit is the clock tick (10 ms at CLK_TCK 100).
const MS_PER_TICK = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);
const treeCpuMs = (pid) => processTree(pid).reduce((sum, p) => sum + p.ticks * MS_PER_TICK, 0);

// Time on a CPU (ms, from nanoseconds) of every thread now alive in `pid`'s
// tree (/proc/<pid>/task/<tid>/schedstat, first field): for an HMR edit, whose
// 50–70 ms of work is a handful of clock ticks, so a one-tick difference read
// as 1.20×. The dev server's threads live as long as it does, so a delta of
// this over one edit leaves nothing out.
function treeRunMs(pid) {
  let ns = 0;
  for (const { pid: p } of processTree(pid)) {
    let tids = [];
    try { tids = readdirSync(`/proc/${p}/task`); } catch { continue; } // gone meanwhile
    for (const tid of tids) {
      try { ns += Number(readFileSync(`/proc/${p}/task/${tid}/schedstat`, 'utf8').split(' ')[0]); } catch { /* gone */ }
    }
  }
  return ns / 1e6;
}

const GROUPS = 10;
const label = (i) => `item ${i}`;

// Per framework: the fixture app whose node_modules it borrows, its plugin
// import, and the source of one leaf component, a group of leaves and the app.
const FRAMEWORKS = {
  react: {
    app: 'react-demo', ext: 'tsx', plugin: "import framework from '@vitejs/plugin-react'", call: 'framework()',
    leaf: (i, v) => `import { useState } from 'react'

type Props = { n: number; label: string; tags: string[] }

export default function C${i}({ n, label, tags }: Props) {
  const [open, setOpen] = useState(false)
  return (
    <div className="leaf" data-c="${i}">
      <h4 title={label}>{label} #{n}</h4>
      <p className="v">v${v} <span>{open ? 'open' : 'closed'}</span></p>
      <ul>{tags.map((t) => <li key={t}>{t}</li>)}</ul>
      <button onClick={() => setOpen(!open)}>toggle</button>
    </div>
  )
}
`,
    group: (g, ids) => `${ids.map((i) => `import C${i} from './C${i}'`).join('\n')}

export default function G${g}() {
  return (
    <section className="group">
${ids.map((i) => `      <C${i} n={${i}} label="${label(i)}" tags={['a', 'b']} />`).join('\n')}
    </section>
  )
}
`,
    main: (groups) => `import { createRoot } from 'react-dom/client'
${groups.map((g) => `import G${g} from './c/G${g}'`).join('\n')}

createRoot(document.getElementById('app')!).render(
  <main>
${groups.map((g) => `    <G${g} />`).join('\n')}
  </main>,
)
`,
    entry: 'main.tsx',
  },
  vue: {
    app: 'vue-demo', ext: 'vue', plugin: "import framework from '@vitejs/plugin-vue'", call: 'framework()',
    leaf: (i, v) => `<script setup lang="ts">
import { ref } from 'vue'
defineProps<{ n: number; label: string; tags: string[] }>()
const open = ref(false)
</script>

<template>
  <div class="leaf" data-c="${i}">
    <h4 :title="label">{{ label }} #{{ n }}</h4>
    <p class="v">v${v} <span>{{ open ? 'open' : 'closed' }}</span></p>
    <ul><li v-for="t in tags" :key="t">{{ t }}</li></ul>
    <button @click="open = !open">toggle</button>
  </div>
</template>
`,
    group: (g, ids) => `<script setup lang="ts">
${ids.map((i) => `import C${i} from './C${i}.vue'`).join('\n')}
</script>

<template>
  <section class="group">
${ids.map((i) => `    <C${i} :n="${i}" label="${label(i)}" :tags="['a', 'b']" />`).join('\n')}
  </section>
</template>
`,
    main: (groups) => `import { createApp, h } from 'vue'
${groups.map((g) => `import G${g} from './c/G${g}.vue'`).join('\n')}

createApp({ render: () => h('main', [${groups.map((g) => `h(G${g})`).join(', ')}]) }).mount('#app')
`,
    entry: 'main.ts',
  },
  svelte: {
    app: 'svelte-demo', ext: 'svelte', plugin: "import { svelte } from '@sveltejs/vite-plugin-svelte'", call: 'svelte()',
    leaf: (i, v) => `<script lang="ts">
  let { n, label, tags }: { n: number; label: string; tags: string[] } = $props()
  let open = $state(false)
</script>

<div class="leaf" data-c="${i}">
  <h4 title={label}>{label} #{n}</h4>
  <p class="v">v${v} <span>{open ? 'open' : 'closed'}</span></p>
  <ul>{#each tags as t (t)}<li>{t}</li>{/each}</ul>
  <button onclick={() => (open = !open)}>toggle</button>
</div>
`,
    group: (g, ids) => `<script lang="ts">
${ids.map((i) => `  import C${i} from './C${i}.svelte'`).join('\n')}
</script>

<section class="group">
${ids.map((i) => `  <C${i} n={${i}} label="${label(i)}" tags={['a', 'b']} />`).join('\n')}
</section>
`,
    main: (groups) => `import { mount } from 'svelte'
${groups.map((g) => `import G${g} from './c/G${g}.svelte'`).join('\n')}

const target = document.getElementById('app')!
${groups.map((g) => `mount(G${g}, { target })`).join('\n')}
`,
    entry: 'main.ts',
  },
};

const leafFile = (fw, i) => `src/c/C${i}.${fw.ext === 'tsx' ? 'tsx' : fw.ext}`;

// The generated app in a temp dir, borrowing the fixture's node_modules (a
// symlink: nothing is written into it; Vite's cache goes to .vite-<variant> here).
// One cache per variant: Vite hashes the config's plugin names into its deps
// cache, so a shared cache made every other warm start of each variant a
// re-optimization of the deps ("Re-optimizing dependencies because vite
// config has changed"), and with an odd number of ABBA rounds the median of
// one variant fell on those and the other's did not (issue 22).
function generate(name) {
  const fw = FRAMEWORKS[name];
  const root = mkdtempSync(join(tmpdir(), `nga-devloop-${name}-`));
  const modules = join(REPO, 'examples', fw.app, 'node_modules');
  if (!existsSync(join(modules, 'vite'))) throw new Error(`examples/${fw.app} is not installed: run make setup`);
  symlinkSync(modules, join(root, 'node_modules'));
  mkdirSync(join(root, 'src/c'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: `devloop-${name}`, private: true, type: 'module' }));
  writeFileSync(join(root, 'index.html'), `<!doctype html><html><head><meta charset="UTF-8"><title>devloop</title></head><body><div id="app"></div><script type="module" src="/src/${fw.entry}"></script></body></html>\n`);
  const per = COMPONENTS / GROUPS;
  const groups = [...Array(GROUPS).keys()];
  for (const g of groups) {
    const ids = Array.from({ length: per }, (_, k) => g * per + k);
    for (const i of ids) writeFileSync(join(root, leafFile(fw, i)), fw.leaf(i, 0));
    writeFileSync(join(root, `src/c/G${g}.${fw.ext}`), fw.group(g, ids));
  }
  writeFileSync(join(root, 'src', fw.entry), fw.main(groups));
  for (const variant of ['with', 'without']) {
    const ours = variant === 'with' && !CONTROL;
    const plugins = ours ? `[${fw.call}, ngAnnotate(${OPTIONS})]` : `[${fw.call}]`;
    writeFileSync(join(root, `vite.${variant}.config.mjs`), `${fw.plugin}
${ours ? "import ngAnnotate from '@ng-annotate/vite-plugin'\n" : ''}export default { plugins: ${plugins}, cacheDir: '.vite-${variant}', logLevel: 'info', clearScreen: false }
`);
  }
  return { name, fw, root, version: 0 };
}

// `vite` on a free port with the variant's config; resolves {url, stop}.
async function startVite(app, variant, start) {
  const nodeArgs = NODE_ARGS.map((a) => a.replaceAll('{variant}', variant).replaceAll('{start}', start).replaceAll('{name}', app.name));
  const vite = join(app.root, 'node_modules/vite/bin/vite.js');
  const child = spawn(process.execPath, [...nodeArgs, vite, '--config', `vite.${variant}.config.mjs`, '--configLoader', 'native',
    '--host', '127.0.0.1', '--port', '0', '--strictPort'], {
    cwd: app.root, env: { ...process.env, NG_ANNOTATE_BIN: BIN, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vite did not start in 120 s:\n${log}`)), 120000);
    const onData = (c) => {
      log += c;
      const m = /Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`vite exited (${code}):\n${log}`)); });
  });
  const stop = async () => {
    const exited = new Promise((r) => child.once('exit', r));
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    // The daemon the plugin started lives on by design: end it too.
    try {
      const { pid } = JSON.parse(readFileSync(join(app.root, '.ng-annotate/daemon.json'), 'utf8'));
      process.kill(pid, 'SIGTERM');
    } catch { /* none */ }
  };
  return { url, stop, log: () => log, cpu: () => treeCpuMs(child.pid), runMs: () => treeRunMs(child.pid) };
}

// One start: spawn → every component in the DOM, plus the scripts' bytes and
// (when `hmr`) the HMR edits. Times in ms.
async function oneStart(browser, app, variant, { cold, hmr }) {
  if (cold) rmSync(join(app.root, `.vite-${variant}`), { recursive: true, force: true });
  const t0 = performance.now();
  const server = await startVite(app, variant, cold ? 'cold' : 'warm');
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') bodies.push(r.body().then((b) => b.length, () => 0));
  });
  try {
    await page.goto(server.url, { timeout: 180000 });
    await page.waitForFunction((n) => document.querySelectorAll('[data-c]').length === n, COMPONENTS, { timeout: 180000, polling: 50 });
    const start = performance.now() - t0;
    const startCpu = server.cpu();
    // A warm start that rebuilt the deps cache measured a cold one.
    if (!cold && /Re-optimizing dependencies/.test(server.log())) {
      throw new Error(`a warm start re-optimized its dependencies:\n${server.log().slice(-1000)}`);
    }
    const bytes = (await Promise.all(bodies)).reduce((a, b) => a + b, 0);
    // An edit starts from a settled page, as a person's edit does seconds
    // after a load: with the overlay, once it has fetched the rest of itself
    // (capture.js, once per page when it is first idle after its load event,
    // within 2 s); then 1 s of quiet in both variants. Without this the first
    // edit of "with" raced that one-time fetch through the dev server.
    if (hmr) {
      await page.waitForFunction(() => !window.__ngAnnotate || window.__ngAnnotate.lazyLoaded, null, { timeout: 30000 });
      await new Promise((r) => setTimeout(r, 1000));
    }
    const edits = [];
    const editsCpu = [];
    // Each edit gives a component a version it never had (an edit that
    // writes back older text can be taken for no change).
    for (let k = 1; hmr && k <= HMR_EDITS; k++) {
      const i = Math.floor(COMPONENTS / 2) + k;
      const v = ++app.version;
      const t = performance.now();
      const cpu0 = server.runMs();
      const file = join(app.root, leafFile(app.fw, i));
      writeFileSync(file, app.fw.leaf(i, v));
      // Vite's watcher can miss a write on a loaded machine: written again
      // every 5 s (an edit that needed it is not counted: it measures the watcher).
      let rewrites = 0;
      for (;;) {
        try {
          await page.waitForFunction(([id, ver]) => document.querySelector(`[data-c="${id}"] .v`)?.textContent.startsWith(`v${ver} `), [i, v], { timeout: 5000, polling: 20 });
          break;
        } catch (e) {
          if (++rewrites > 12) throw e;
          writeFileSync(file, app.fw.leaf(i, v));
        }
      }
      if (!rewrites) { edits.push(performance.now() - t); editsCpu.push(server.runMs() - cpu0); }
    }
    return { start, startCpu, bytes, hmr: edits, hmrCpu: editsCpu };
  } catch (e) {
    throw new Error(`${app.name} ${variant}: ${e.message}\n--- vite's log:\n${server.log().slice(-3000)}`);
  } finally {
    await context.close();
    await server.stop();
  }
}

const loadavg = () => osLoadavg().map((x) => x.toFixed(2)).join(' ');
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

async function main() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const apps = [];
  const rows = [];
  // --save: per app, variant and measure, one list of values per round.
  const saved = { args, started: new Date().toISOString(), components: COMPONENTS, rounds: ROUNDS, phases: PHASES, apps: {} };
  try {
    for (const name of ONLY) {
      const app = generate(name);
      apps.push(app);
      const KEYS = ['cold', 'coldCpu', 'warm', 'warmCpu', 'hmr', 'hmrCpu', 'bytes'];
      // Per variant, per measure: one list of values per round.
      const m = Object.fromEntries(['with', 'without'].map((v) => [v, Object.fromEntries(KEYS.map((k) => [k, []]))]));
      // Without cold starts in the rounds, one uncounted start per variant
      // fills its deps cache, so that every counted start is warm.
      if (!PHASES.includes('cold')) for (const v of ['with', 'without']) await oneStart(browser, app, v, { cold: true, hmr: false });
      for (let r = 0; r < ROUNDS; r++) {
        for (const v of ['with', 'without']) for (const k of KEYS) m[v][k].push([]);
        const order = r % 2 ? ['without', 'with'] : ['with', 'without'];
        for (const v of PHASES.includes('cold') ? order : []) {
          const c = await oneStart(browser, app, v, { cold: true, hmr: false });
          m[v].cold[r].push(c.start);
          m[v].coldCpu[r].push(c.startCpu);
          m[v].bytes[r].push(c.bytes);
        }
        const warmOrder = PHASES.includes('cold') ? [...order].reverse() : order;
        for (const v of PHASES.some((p) => p !== 'cold') ? warmOrder : []) {
          const w = await oneStart(browser, app, v, { cold: false, hmr: PHASES.includes('hmr') });
          if (PHASES.includes('warm')) {
            m[v].warm[r].push(w.start);
            m[v].warmCpu[r].push(w.startCpu);
          }
          m[v].hmr[r].push(...w.hmr);
          m[v].hmrCpu[r].push(...w.hmrCpu);
        }
        process.stderr.write(`devloop ${name}: round ${r + 1}/${ROUNDS} done (load average ${loadavg()})\n`);
      }
      if (SAVE) {
        saved.apps[name] = m;
        writeFileSync(SAVE, `${JSON.stringify(saved)}\n`);
      }
      for (const k of KEYS) {
        const a = median(m.with[k].flat());
        const b = median(m.without[k].flat());
        const range = (xs) => [Math.min(...xs), Math.max(...xs)];
        // Each round's with/without (the medians of its edits, for HMR).
        const perRound = m.with[k].map((xs, r) => (xs.length && m.without[k][r].length ? median(xs) / median(m.without[k][r]) : null)).filter((x) => x != null && Number.isFinite(x));
        if (!m.with[k].flat().length) continue; // a phase not measured (--phases)
        rows.push({
          name, k, a, b, ratio: a / b, rounds: perRound.length ? range(perRound) : [NaN, NaN],
          interval: ratioInterval(perRound), spread: [range(m.with[k].flat()), range(m.without[k].flat())],
        });
      }
    }
  } finally {
    await browser.close();
    for (const a of apps) rmSync(a.root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
  const unit = (k, x) => (k === 'bytes' ? `${(x / 1024).toFixed(0)} KiB` : `${x.toFixed(k === 'hmrCpu' ? 1 : 0)} ms`);
  const what = {
    cold: 'cold start', coldCpu: '  server CPU', warm: 'warm start', warmCpu: '  server CPU',
    hmr: 'HMR edit → DOM', hmrCpu: '  server CPU', bytes: 'JS transferred',
  };
  console.log(`devloop: ${COMPONENTS} components, ${ROUNDS} interleaved rounds (medians; ${HMR_EDITS} HMR edits per warm start)${OPTIONS ? `, with ngAnnotate(${OPTIONS})` : ''}${CONTROL ? ', CONTROL RUN: "with" has no plugin either (A/A)' : ''}`);
  console.log(`load average at the end: ${loadavg()} (${cpus().length} cores); "server CPU": user+system of the dev server's process tree until the page is up (clock ticks) / the edit is in the DOM (its threads' run time, ns)`);
  console.log('"ratio": of the medians; "rounds": the per-round ratios\' range; "typical [95 % CI]": their geometric mean and its interval, which the verdict reads');
  console.log(`${'app'.padEnd(7)} ${'measure'.padEnd(15)} ${'with'.padStart(10)} ${'without'.padStart(10)} ${'ratio'.padStart(6)}  ${'rounds'.padEnd(11)}  ${'typical [95 % CI]'.padEnd(20)}  target  verdict  spread (min–max: with | without)`);
  for (const { name, k, a, b, ratio, rounds, interval, spread } of rows) {
    const span = ([lo, hi]) => (k === 'bytes' ? `${(lo / 1024).toFixed(0)}–${(hi / 1024).toFixed(0)}` : `${lo.toFixed(0)}–${hi.toFixed(0)}`);
    const roundSpan = `${rounds[0].toFixed(2)}–${rounds[1].toFixed(2)}`;
    const ci = interval ? `${interval.mean.toFixed(3)} [${interval.lo.toFixed(3)}–${interval.hi.toFixed(3)}]` : 'n/a';
    console.log(`${name.padEnd(7)} ${what[k].padEnd(15)} ${unit(k, a).padStart(10)} ${unit(k, b).padStart(10)} ${ratio.toFixed(2).padStart(5)}×  ${roundSpan.padEnd(11)}  ${ci.padEnd(20)}  ≤ ${TARGETS[k].toFixed(2)}×  ${verdict(interval, TARGETS[k]).padEnd(7)}  ${span(spread[0])} | ${span(spread[1])}`);
  }
}

main().catch((e) => { console.error(`devloop: ${e.stack || e}`); process.exit(1); });
