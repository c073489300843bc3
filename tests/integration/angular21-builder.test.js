// The previous Angular major: tests/fixtures/angular21 (ng new with CLI 21, on
// this Node 20) served once through @ng-annotate/angular:dev-server.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANGULAR21, copyApp, nodeFor, ngServe, get, firstOverlayMessage } from './lib/ng.js';

const cleanups = [];
after(() => {
  for (const fn of cleanups.reverse()) fn();
});

test('Angular 21: index with the overlay tag, /__annotate/health and the overlay socket through ng serve', async (t) => {
  const dir = copyApp(ANGULAR21, (fn) => cleanups.push(fn));
  const version = JSON.parse(readFileSync(join(dir, 'node_modules/@angular/build/package.json'), 'utf8')).version;
  assert.match(version, /^21\./);
  const server = await ngServe(dir, { node: nodeFor(ANGULAR21) });
  t.after(() => server.stop());

  const index = await get(`${server.url}/`);
  assert.match(index.body, /<script src="\/__annotate\/client\.js"><\/script>/);
  const health = await get(`${server.url}/__annotate/health`);
  assert.equal(health.status, 200, health.body);
  assert.equal(JSON.parse(health.body).root, dir);

  const first = await firstOverlayMessage(server.port, { sessionId: 'ng21', origin: `http://localhost:${server.port}` }, (fn) => t.after(fn));
  assert.equal(first.type, 'session:created');
});

test('no binary to start: one clear error, and ng serve serves the app on', async (t) => {
  const dir = copyApp(ANGULAR21, (fn) => cleanups.push(fn));
  const server = await ngServe(dir, { node: nodeFor(ANGULAR21), env: { NG_ANNOTATE_BIN: join(dir, 'no-such-binary') } });
  t.after(() => server.stop());
  const index = await get(`${server.url}/`);
  assert.equal(index.status, 200);
  assert.match(index.body, /<app-root>/);
  assert.equal((await get(`${server.url}/__annotate/health`)).status, 502);
  assert.equal((await get(`${server.url}/__annotate/client.js`)).status, 502);
  assert.match((await get(`${server.url}/main.js`)).body, /greeting/);
  await server.waitFor(/NG_ANNOTATE_BIN does not name an executable file/, 'the error', 20000);
  const lines = server.output().split('\n').filter((l) => l.includes('NG_ANNOTATE_BIN does not name'));
  assert.ok(lines.length <= 2, lines.join('\n')); // once at start, once for the forwarded requests
});
