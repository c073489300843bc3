// Runs the ng-annotate binary under test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
export const BIN = process.env.NG_ANNOTATE_BIN || join(repo, 'build/release/ng-annotate');

// The binary under test is a Windows build: on Windows, or the .exe under
// Wine (scripts/wine-bin.sh, make test-windows, which sets NG_ANNOTATE_WINE_EXE).
export const WINDOWS_BINARY = process.platform === 'win32' || Boolean(process.env.NG_ANNOTATE_WINE_EXE);

// How a test asks the binary to stop the way its platform's process managers
// do: SIGTERM on POSIX. Windows has no SIGTERM (Node ends a Windows process
// outright for it, and Wine runs no handler either): there it is Ctrl+C,
// which Wine delivers for a SIGINT as the console's CTRL_C_EVENT.
export const STOP_SIGNAL = WINDOWS_BINARY ? 'SIGINT' : 'SIGTERM';

// `path` (this machine's) as the binary under test names it: the Windows
// build under Wine sees this machine's files on its Z: drive (Z:\tmp\x).
export function binaryPath(path) {
  return WINDOWS_BINARY && process.platform !== 'win32' ? `Z:${path.replaceAll('/', '\\')}` : path;
}

// The inverse: a path the binary printed, as this machine names it.
export function localPath(path) {
  return WINDOWS_BINARY && process.platform !== 'win32' && /^Z:\\/.test(path)
    ? path.slice(2).replaceAll('\\', '/') : path;
}

// The signals that ask the binary to stop cleanly: SIGINT and SIGTERM on
// POSIX; Ctrl+C (SIGINT) on Windows, see STOP_SIGNAL.
export const STOP_SIGNALS = WINDOWS_BINARY ? ['SIGINT'] : ['SIGINT', 'SIGTERM'];

// Whether `path` is absolute as the binary's platform spells paths.
export function isBinaryAbsolute(path) {
  return WINDOWS_BINARY ? /^[A-Za-z]:[\\/]/.test(path) : path.startsWith('/');
}

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
