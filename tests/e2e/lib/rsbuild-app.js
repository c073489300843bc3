// tests/fixtures/rsbuild-app (create-rsbuild, React, plus pluginNgAnnotate()) on its real `rsbuild dev`;
// the truth is its row in tests/e2e/apps.test.js.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { withDeadline } from './browser.js';
import { REPO } from './vite-app.js';

export const RSBUILD_ROOT = join(REPO, 'tests/fixtures/rsbuild-app');
const RSBUILD_BIN = join(RSBUILD_ROOT, 'node_modules/@rsbuild/core/bin/rsbuild.js');

export const rsbuildInstalled = () => existsSync(RSBUILD_BIN);

// The fixture's rsbuild.config.ts carries the one-line integration; this is
// the same file without it (for the runtime fallback behind serve --proxy).
export function rsbuildWithoutIntegration(text) {
  const out = text.replace(/^import \{ pluginNgAnnotate \} from '@ng-annotate\/webpack\/rsbuild';\n/m, '')
    .replace('plugins: [pluginReact(), pluginNgAnnotate()]', 'plugins: [pluginReact()]');
  if (out === text || out.includes('pluginNgAnnotate')) throw new Error('rsbuild.config.ts no longer has the expected integration line');
  return out;
}

// `rsbuild dev` on 127.0.0.1, any free port; resolves with {root, url} once
// it has built. Killed (its process group) when the test ends.
export async function startRsbuildApp(t) {
  // A fresh store: a stored annotation of an earlier run must not pass for this one's.
  rmSync(join(RSBUILD_ROOT, '.ng-annotate'), { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  const child = spawn(process.execPath, [RSBUILD_BIN, 'dev', '--host', '127.0.0.1', '--port', '0'], {
    cwd: RSBUILD_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
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
  const url = await withDeadline(new Promise((resolve, reject) => {
    const check = () => {
      const m = /Local:\s+(http:\/\/[^\s/]+)\//.exec(log);
      if (m && /built in/.test(log)) resolve(m[1]);
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    exited.then((code) => reject(new Error(`rsbuild dev exited (${code}):\n${log}`)));
  }), 'rsbuild dev to build', 120000);
  return { root: RSBUILD_ROOT, url, log: () => log };
}
