// @ng-annotate/angular:dev-server on Angular's webpack dev server
// (tests/fixtures/angular-webpack, from a temp copy) without a browser: the
// daemon's life (started with ng serve, stopped with it, daemon.json gone),
// which the browser row of tests/e2e/apps.test.js cannot see (it stops the
// whole process group).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  REPO, copyApp, nodeFor, ngServe, get, assertDaemonStopsWithServe, firstOverlayMessage,
} from './lib/ng.js';

const APP = join(REPO, 'tests/fixtures/angular-webpack');


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

  await assertDaemonStopsWithServe(server, dir);
});

// The webpack builder's other modes, through the same one line: with
// `forceEsbuild` build-angular hands the build to its Vite dev server (which
// takes the esbuild path's hooks); with `hmr` webpack-dev-server runs hot
// module replacement beside our socket. Each: the overlay's tag in the index,
// /__annotate answered, the overlay's socket upgraded (the dev server's own
// socket left alone), template source locations compiled in, and no line
// saying a hook was missed.
for (const { mode, args } of [
  { mode: 'forceEsbuild (Vite dev server)', args: ['--force-esbuild'] },
  { mode: 'hmr (webpack hot module replacement)', args: ['--hmr'] },
]) {
  test(`ng serve on the webpack builder, ${mode}: overlay tag, /__annotate, its socket and template locations`, async (t) => {
    const cleanups = [];
    t.after(async () => { for (const fn of cleanups.reverse()) await Promise.resolve().then(fn).catch(() => {}); });
    const dir = copyApp(APP, (fn) => cleanups.push(fn));
    const server = await ngServe(dir, { node: nodeFor(APP), args: ['--host', '127.0.0.1', ...args] });
    cleanups.push(() => server.stop());
    await server.waitFor(/\[ng-annotate\] overlay on /, 'the overlay line', 60000);

    const index = await get(`${server.url}/`);
    assert.match(index.body, /<script src="\/__annotate\/client\.js"><\/script>/);
    const health = await get(`${server.url}/__annotate/health`);
    assert.equal(health.status, 200, health.body);
    const main = await get(`${server.url}/main.js`);
    assert.equal(main.status, 200);
    assert.match(main.body, /attachSourceLocations\W{0,4}\("src\/app\/user-card\/user-card\.html"/, 'template source locations in the served code');

    const first = await firstOverlayMessage(server.port, { sessionId: 'webpack-mode', origin: `http://127.0.0.1:${server.port}` }, (fn) => cleanups.push(fn));
    assert.equal(first.type, 'session:created');
    assert.doesNotMatch(server.output(), /did not take ng-annotate's middleware|overlay's script tag was not added|The overlay is off/);
  });
}
