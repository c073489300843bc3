// Real Vite dev servers with @ng-annotate/vite-plugin, for the plugin suites.
//
// The fixture apps (tests/fixtures/vite8, vite5: made by create-vite, the
// plugin and @ng-annotate/cli installed from packages/ as a user would get
// them) are copied into a temp project inside the fixture directory, so its
// vite.config.js resolves vite and the plugin from the fixture's
// node_modules. Each Vite runs in a child process driven over stdin/stdout,
// so a Vite that hangs is killed instead of stalling the suite. Every wait
// has a deadline; every process is killed when its test ends.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { BIN } from './cli.js';
import { rawRequest, withDeadline } from './serve.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
export const FIXTURES = {
  vite8: { dir: join(repo, 'tests/fixtures/vite8'), main: 'src/main.js', css: 'src/style.css' },
  vite5: { dir: join(repo, 'tests/fixtures/vite5'), main: 'main.js', css: 'style.css' },
};
// Roomy: the CI machine may have both cores busy with other suites.
export const VITE_MS = 30000;

// What runs in the child: `node --input-type=module -e` resolves `vite`
// from its working directory, the fixture.
const DRIVER = `
const spec = JSON.parse(process.env.NGA_VITE_SPEC);
const vite = await import('vite');
const say = (event) => process.stdout.write('@@nga ' + JSON.stringify(event) + '\\n');
if (spec.build) {
  await vite.build({ root: spec.root, configFile: spec.plugin ? undefined : false, logLevel: 'warn',
    build: { outDir: spec.outDir, emptyOutDir: true } });
  say({ event: 'built' });
  process.exit(0);
}
if (spec.preview) {
  const server = await vite.preview({ root: spec.root, logLevel: 'warn', build: { outDir: spec.outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  say({ event: 'listening', port: server.httpServer.address().port, version: vite.version });
  createInterface({ input: process.stdin }).on('line', async (line) => {
    if (line === 'close') { await server.close(); say({ event: 'closed' }); process.exit(0); }
  });
} else {
const server = await vite.createServer({ root: spec.root, clearScreen: false, logLevel: 'info',
  server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: { overlay: false }, ...(spec.server ?? {}) } });
await server.listen();
say({ event: 'listening', port: server.httpServer.address().port, version: vite.version });
createInterface({ input: process.stdin }).on('line', async (line) => {
  // 'watched N': the directories Vite's file watcher holds, as event watched-N.
  if (line.startsWith('watched ')) { say({ event: line.replace(' ', '-'), dirs: Object.keys(server.watcher.getWatched()) }); return; }
  if (line !== 'close') return;
  // Whether close() itself stopped the daemon (not our exit afterwards).
  let pid = null;
  try { pid = JSON.parse(readFileSync(spec.root + '/.ng-annotate/daemon.json', 'utf8')).pid; } catch {}
  const started = performance.now();
  await server.close();
  const ms = Math.round(performance.now() - started);
  let daemonAlive = false;
  try { if (pid) { process.kill(pid, 0); daemonAlive = true; } } catch {}
  say({ event: 'closed', ms, daemonPid: pid, daemonAlive });
  process.exit(0);
});
}
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
`;

// A copy of the fixture app under <fixture>/.nga-tmp-XXXX, removed after the test.
export function project(t, fixture) {
  const { dir } = FIXTURES[fixture];
  const root = mkdtempSync(join(dir, '.nga-tmp-'));
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.nga-tmp-') || name === 'package-lock.json' || name === 'dist') continue;
    cpSync(join(dir, name), join(root, name), { recursive: true });
  }
  t.after(() => rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));
  return root;
}

function driverEnv(env) {
  const base = { ...process.env, NG_ANNOTATE_BIN: process.env.NG_ANNOTATE_BIN ?? BIN, CI: 'true', NO_COLOR: '1' };
  for (const [key, value] of Object.entries(env ?? {})) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base;
}

function spawnDriver(t, fixture, spec, env) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', DRIVER], {
    cwd: FIXTURES[fixture].dir,
    env: { ...driverEnv(env), NGA_VITE_SPEC: JSON.stringify(spec) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const events = [];
  const waiters = new Set();
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('@@nga ')) events.push(JSON.parse(line.slice(6)));
    else output += `${line}\n`;
    for (const w of waiters) w();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => { output += chunk; for (const w of waiters) w(); });
  exited.then(() => { for (const w of waiters) w(); });
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  const waitFor = (predicate, what, ms = VITE_MS) => withDeadline(new Promise((done, fail) => {
    const check = () => {
      const found = predicate();
      if (found) { waiters.delete(check); done(found); return; }
      if (child.exitCode !== null || child.signalCode !== null) {
        waiters.delete(check);
        fail(new Error(`vite driver exited while waiting for ${what}:\n${output}`));
      }
    };
    waiters.add(check);
    check();
  }), what, ms);
  return {
    child,
    exited,
    output: () => output,
    event: (name, ms) => waitFor(() => events.find((e) => e.event === name), `vite's ${name}`, ms),
    waitOutput: (re, ms) => waitFor(() => re.test(output), `vite to log ${re}`, ms),
  };
}

// `vite dev` (programmatic createServer + listen) on 127.0.0.1 and a free
// port: {port, url, child, output(), close(), waitOutput(re)}.
export async function startVite(t, fixture, root, { env, server } = {}) {
  const driver = spawnDriver(t, fixture, { root, server }, env);
  const listening = await driver.event('listening');
  let asked = 0;
  return {
    ...driver,
    port: listening.port,
    version: listening.version,
    url: `http://127.0.0.1:${listening.port}`,
    // The directories Vite's file watcher holds now (absolute paths).
    async watched() {
      const n = ++asked;
      driver.child.stdin.write(`watched ${n}\n`);
      return (await driver.event(`watched-${n}`)).dirs;
    },
    // server.close() in the child; resolves once the child has exited
    // (rejects after `ms`) with {ms, daemonPid, daemonAlive}: how long close()
    // took, and whether the daemon named by daemon.json was still running
    // when it returned.
    async close(ms = VITE_MS) {
      driver.child.stdin.write('close\n');
      const closed = await driver.event('closed', ms);
      await withDeadline(driver.exited, 'the vite process to exit', ms);
      return closed;
    },
  };
}

// `vite preview` of a built outDir (with the project's vite.config.js):
// {port, url, close()}.
export async function startPreview(t, fixture, root, outDir) {
  const driver = spawnDriver(t, fixture, { preview: true, root, outDir });
  const { port } = await driver.event('listening');
  return {
    ...driver,
    port,
    async close(ms = VITE_MS) {
      driver.child.stdin.write('close\n');
      await driver.event('closed', ms);
      await withDeadline(driver.exited, 'the vite preview process to exit', ms);
    },
  };
}

// `vite build` of root into outDir, with the project's vite.config.js
// (plugin: true) or with no config file at all.
export async function viteBuild(t, fixture, root, outDir, { plugin }) {
  const driver = spawnDriver(t, fixture, { build: true, root, outDir, plugin });
  await driver.event('built', 60000);
  return driver.output();
}

// The file may vanish between any two calls (an exiting daemon removes it, a
// new one renames its own into place), so a missing file reads as null.
export function daemonFile(root) {
  const file = join(root, '.ng-annotate', 'daemon.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
}

export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// ng-annotate serve processes whose command line names root.
export function daemonProcesses(root) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.includes('serve') && cmdline.includes(root)) pids.push(Number(entry));
    } catch { /* gone */ }
  }
  return pids;
}

// Every daemon of root is killed when the test ends: those daemon.json named
// (note() records the current one) and any other still running for root.
export function killDaemonsAfter(t, root) {
  const seen = new Set();
  const note = () => { const pid = daemonFile(root)?.pid; if (pid) seen.add(pid); };
  t.after(async () => {
    note();
    for (const pid of daemonProcesses(root)) seen.add(pid);
    for (const pid of seen) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await Promise.all([...seen].map((pid) => waitGone(pid, `daemon ${pid} to die`, 5000).catch(() => {})));
  });
  return note;
}

// Resolves once `pid` is gone (polls: a process we did not spawn gives no event).
export function waitGone(pid, what = `pid ${pid} to exit`, ms = VITE_MS) {
  return withDeadline(new Promise((done) => {
    const check = () => (alive(pid) ? setTimeout(check, 25) : done());
    check();
  }), what, ms);
}

// Polls fn() until it returns something truthy.
export function until(fn, what, ms = VITE_MS) {
  return withDeadline(new Promise((done) => {
    const check = async () => {
      const value = await fn();
      if (value) done(value);
      else setTimeout(check, 50);
    };
    check();
  }), what, ms);
}

export async function healthVia(port) {
  const res = await rawRequest(port, { path: '/__annotate/health' });
  return res.status === 200 ? JSON.parse(res.body) : null;
}

// Vite's HMR socket, as its client opens it (Vite >= 5.4.12 wants the token
// that /@vite/client carries). Resolves with {ws, messages, next(type)}.
export async function hmrSocket(t, port) {
  const client = await rawRequest(port, { path: '/@vite/client' });
  const token = client.body.match(/wsToken\s*=\s*"([^"]*)"/)?.[1];
  const url = `ws://127.0.0.1:${port}/${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const ws = new WebSocket(url, 'vite-hmr', { headers: { Origin: `http://127.0.0.1:${port}` } });
  t.after(() => ws.terminate());
  const messages = [];
  const waiters = new Set();
  ws.on('message', (data) => { messages.push(JSON.parse(data.toString())); for (const w of waiters) w(); });
  const next = (predicate, what, ms = VITE_MS) => withDeadline(new Promise((done) => {
    const check = () => {
      const i = messages.findIndex(predicate);
      if (i >= 0) { waiters.delete(check); done(messages.splice(i, 1)[0]); }
    };
    waiters.add(check);
    check();
  }), what, ms);
  await withDeadline(new Promise((done, fail) => {
    ws.once('open', done);
    ws.once('error', fail);
    ws.once('unexpected-response', (_req, res) => fail(new Error(`HMR upgrade refused: ${res.statusCode}`)));
  }), "Vite's HMR socket to open");
  return { ws, next };
}

// Busy loops, one per core, killed when the test ends (or by stop()).
// Resolves once every one of them is spinning.
export async function cpuBurner(t, count = 2) {
  const burners = [];
  const stop = () => { for (const b of burners) if (b.exitCode === null && b.signalCode === null) b.kill('SIGKILL'); };
  t.after(stop);
  const spinning = [];
  for (let i = 0; i < count; i += 1) {
    const b = spawn(process.execPath, ['-e', "process.stdout.write('spinning\\n', () => { for (;;) {} })"], { stdio: ['ignore', 'pipe', 'ignore'] });
    burners.push(b);
    spinning.push(new Promise((done) => b.stdout.once('data', done)));
  }
  await withDeadline(Promise.all(spinning), 'the CPU burners to start', VITE_MS);
  return { stop };
}

// A pid that is certainly not running any more.
export function deadPid() {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}
