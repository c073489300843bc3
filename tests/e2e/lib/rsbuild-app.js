// tests/fixtures/rsbuild-app (create-rsbuild, React) on its real `rsbuild dev`,
// and the truth its e2e suite checks (RSBUILD_APP: a table row). Rsbuild's
// development source maps are line-only (cheap-module-source-map), so a
// position comes out at the line React's call sits on, column 1: the truth
// holds the file, name, props and ancestry exactly, and the location's file.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { withDeadline } from './browser.js';
import { REPO } from './vite-app.js';

export const RSBUILD_ROOT = join(REPO, 'tests/fixtures/rsbuild-app');
const RSBUILD_BIN = join(RSBUILD_ROOT, 'node_modules/@rsbuild/core/bin/rsbuild.js');

export const RSBUILD_APP = {
  app: 'rsbuild-app',
  framework: 'react',
  cases: [
    {
      name: 'PriceTag (its own file, under Card)',
      click: '.price-tag',
      truth: {
        componentName: 'PriceTag',
        componentFilePath: 'src/components/PriceTag.tsx',
        componentTreePath: ['App', 'Card'],
        inputs: { amount: 3, currency: 'EUR' },
      },
      locationFile: 'src/components/PriceTag.tsx',
    },
    {
      name: 'Card (string and array props)',
      click: '.card-title',
      truth: {
        componentName: 'Card',
        componentFilePath: 'src/App.tsx',
        componentTreePath: ['App'],
        inputs: { title: 'One', tags: ['a', 'b'] },
      },
      locationFile: 'src/App.tsx',
    },
  ],
};

export const rsbuildInstalled = () => existsSync(RSBUILD_BIN);

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
