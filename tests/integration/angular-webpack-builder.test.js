// @ng-annotate/angular:dev-server on Angular's webpack dev server
// (tests/fixtures/angular-webpack, from a temp copy) without a browser: the
// daemon's life (started with ng serve, stopped with it, daemon.json gone),
// which the browser row of tests/e2e/apps.test.js cannot see (it stops the
// whole process group).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, copyApp, nodeFor, ngServe, get, exited } from './lib/ng.js';

const APP = join(REPO, 'tests/fixtures/angular-webpack');

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('ng serve on the webpack builder: /__annotate answered by the daemon it started, which stops with it', async (t) => {
  const cleanups = [];
  t.after(async () => { for (const fn of cleanups.reverse()) await Promise.resolve().then(fn).catch(() => {}); });
  const dir = copyApp(APP, (fn) => cleanups.push(fn));
  const server = await ngServe(dir, { node: nodeFor(APP), args: ['--host', '127.0.0.1'] });
  cleanups.push(() => server.stop());
  await server.waitFor(/\[ng-annotate\] overlay on /, 'the overlay line', 60000);

  const health = await get(`${server.url}/__annotate/health`);
  assert.equal(health.status, 200, health.body);
  const daemonFile = join(dir, '.ng-annotate/daemon.json');
  const info = JSON.parse(readFileSync(daemonFile, 'utf8'));
  assert.equal(JSON.parse(health.body).root, info.root);
  assert.ok(pidAlive(info.pid));

  process.kill(server.child.pid, 'SIGTERM');
  assert.notEqual(await exited(server.child, 20000), 'timeout', 'ng serve did not exit on SIGTERM');
  const deadline = Date.now() + 10000;
  while (pidAlive(info.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal(pidAlive(info.pid), false, `daemon ${info.pid} still running`);
  assert.equal(existsSync(daemonFile), false);
});
