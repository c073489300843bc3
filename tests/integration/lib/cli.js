// Runs the ng-annotate binary under test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
export const BIN = process.env.NG_ANNOTATE_BIN || join(repo, 'build/release/ng-annotate');

// Runs `ng-annotate ...args` to completion: {status, stdout, stderr}.
export function run(args, options = {}) {
  const result = spawnSync(BIN, args, { encoding: 'utf8', timeout: 30000, ...options });
  if (result.error) throw result.error;
  return result;
}

// A temporary project root, removed after the test. Retried: a daemon still
// shutting down may write into it (a re-armed notify file) while it goes.
// With removeAfter false the caller removes it (removeRoot), e.g. only once
// the daemon writing into it has exited.
export function tempRoot(t, { removeAfter = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'nga-it-'));
  if (removeAfter) t.after(async () => { await stopDaemons(dir); removeRoot(dir); });
  return dir;
}

// Daemons started on a root, stopped before the root is removed (a test's
// after hooks run in the order they were added, often the root's first).
const daemonsByRoot = new Map();
export function trackDaemon(root, child, exited) {
  if (!daemonsByRoot.has(root)) daemonsByRoot.set(root, []);
  daemonsByRoot.get(root).push({ child, exited });
}
async function stopDaemons(root) {
  for (const { child, exited } of daemonsByRoot.get(root) ?? []) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
  daemonsByRoot.delete(root);
}

export function removeRoot(dir) {
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}
