// The previous Angular major: tests/fixtures/angular21 (ng new with CLI 21, on
// this Node 20) served once through @ng-annotate/angular:dev-server.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { ANGULAR21, copyApp, nodeFor, ngServe, get } from './lib/ng.js';

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

  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/__annotate?sessionId=ng21`, {
    headers: { Origin: `http://localhost:${server.port}` },
  });
  t.after(() => ws.terminate());
  const first = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no first message within 20 s')), 20000);
    ws.once('message', (data) => {
      clearTimeout(timer);
      resolve(JSON.parse(data.toString()));
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  assert.equal(first.type, 'session:created');
});
