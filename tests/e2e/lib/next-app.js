// tests/fixtures/next-app (create-next-app 16, App Router) on its real
// `next dev`, Turbopack (Next's default) or webpack (`--webpack`), and its
// `next build`; the truth is the rows of tests/e2e/apps.test.js. Every wait
// has a deadline; the dev server's process group is killed when the test ends.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, withDeadline } from './browser.js';
import { REPO } from './vite-app.js';

export const NEXT_ROOT = join(REPO, 'tests/fixtures/next-app');
// The same components in a create-next-app 15 app (Next 15.5).
export const NEXT15_ROOT = join(REPO, 'tests/fixtures/next15-app');
const nextBin = (root) => join(root, 'node_modules/next/dist/bin/next');
const NEXT_BIN = nextBin(NEXT_ROOT);
const FIRST_COMPILE_MS = 180000; // Next's first compile of the page on two busy cores

export const nextInstalled = (root = NEXT_ROOT) => existsSync(nextBin(root));
const nextMajor = (root) => Number(JSON.parse(readFileSync(join(root, 'node_modules/next/package.json'), 'utf8')).version.split('.')[0]);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// `next dev` (mode 'turbopack' or 'webpack') in the fixture, on 127.0.0.1.
// Resolves with {root, url, log()} once the first page has compiled; stopped
// (with what it started) when the test ends.
export async function startNextApp(t, { root = NEXT_ROOT, mode = 'turbopack', env = {} } = {}) {
  if (!nextInstalled(root)) throw new Error(`${root} is not installed: run make setup`);
  rmSync(join(root, '.ng-annotate'), { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  const port = await freePort();
  const args = [nextBin(root), 'dev', '--hostname', '127.0.0.1', '--port', String(port)];
  // Next 16 runs Turbopack unless told --webpack; Next 15 webpack unless told --turbopack.
  if (nextMajor(root) >= 16) { if (mode === 'webpack') args.push('--webpack'); } else if (mode === 'turbopack') args.push('--turbopack');
  const child = spawn(process.execPath, args, {
    cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NG_ANNOTATE_BIN: BIN, NEXT_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
  });
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (c) => { log += c; });
  child.stderr.setEncoding('utf8').on('data', (c) => { log += c; });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  t.after(async () => {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
    if (!done) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }
  });
  const url = `http://127.0.0.1:${port}/`;
  await withDeadline(new Promise((resolve, reject) => {
    const check = () => { if (/Ready in/.test(log)) resolve(); };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    exited.then((code) => reject(new Error(`next dev exited (${code}):\n${log}`)));
  }), `next dev (${mode}) to be ready`, FIRST_COMPILE_MS);
  // The first request compiles the page: wait for it here, not in the browser.
  const res = await fetch(url, { signal: AbortSignal.timeout(FIRST_COMPILE_MS) });
  await res.text();
  if (!res.ok) throw new Error(`next dev answered ${res.status}:\n${log}`);
  return { root, url, log: () => log };
}

// The fixture's next.config.ts carries the one-line integration; this is the
// same file without it (for the runtime fallback behind serve --proxy).
export function withoutIntegration(text) {
  const out = text.replace(/^import \{ withNgAnnotate \} from "@ng-annotate\/next";\n/m, '')
    .replace('export default withNgAnnotate(nextConfig);', 'export default nextConfig;');
  if (out === text || out.includes('withNgAnnotate')) throw new Error('next.config.ts no longer has the expected integration line');
  return out;
}

// `next build` in the fixture into a temp distDir; every output file's text
// (.js, .html, .rsc, .json, .css), by path.
export function buildNext(env = {}) {
  const dist = `.next-build-${process.pid}`;
  const out = join(NEXT_ROOT, dist);
  const config = join(NEXT_ROOT, 'next.config.ts');
  const original = readFileSync(config, 'utf8');
  // Next adds the distDir's types to tsconfig.json's include.
  const tsconfig = join(NEXT_ROOT, 'tsconfig.json');
  const originalTsconfig = readFileSync(tsconfig, 'utf8');
  try {
    // distDir through the config, the one place Next reads it from.
    writeFileSync(config, original.replace('cacheComponents: true,', `cacheComponents: true,\n  distDir: ${JSON.stringify(dist)},`));
    const r = spawnSync(process.execPath, [NEXT_BIN, 'build'], {
      cwd: NEXT_ROOT, encoding: 'utf8', timeout: 400000,
      env: { ...process.env, NG_ANNOTATE_BIN: BIN, NEXT_TELEMETRY_DISABLED: '1', NO_COLOR: '1', ...env },
    });
    if (r.status !== 0) throw new Error(`next build failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    const files = {};
    const walk = (dir) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) { if (name !== 'cache') walk(p); } else if (/\.(js|html|rsc|json|css|body)$/.test(name)) files[p.slice(out.length + 1)] = readFileSync(p, 'utf8');
      }
    };
    walk(out);
    return { files, log: r.stdout + r.stderr };
  } finally {
    writeFileSync(config, original);
    writeFileSync(tsconfig, originalTsconfig);
    rmSync(out, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
