// The webpack half of @ng-annotate/angular:dev-server (packages/angular/src/dev-server/webpack.js)
// on its own: the transforms keep the user's own dev-server hooks, put our
// middleware first and watch the server's upgrades; when a part of ours never
// ran, the line the log gets names the fix; the webpack dev server's
// Observable is read as the builder's outputs. The real thing, on a real
// `ng serve`, is the angular-webpack row of tests/e2e/apps.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { webpackTransforms, missedLine, valuesOf, allowedHostsOf } = require('../../packages/angular/src/dev-server/webpack.js');
const { Observable } = createRequire(require.resolve('../fixtures/angular-webpack/package.json'))('rxjs');

function fakeBridge() {
  const watched = [];
  return {
    watched,
    middleware: (req, res, next) => next(),
    watchServer: (server) => watched.push(server),
    indexHtmlTransformer: async (html) => html.replace('</head>', '<script src="/__annotate/client.js"></script></head>'),
  };
}

test('webpackConfiguration: our middleware first, the user\'s setupMiddlewares and onListening still run', async () => {
  const bridge = fakeBridge();
  const { transforms, seen } = webpackTransforms(bridge);
  const calls = [];
  const config = {
    devServer: {
      setupMiddlewares: (list) => { calls.push('theirs'); return [...list, { name: 'user' }]; },
      onListening: () => calls.push('their listening'),
    },
  };
  const out = await transforms.webpackConfiguration(config);
  assert.notEqual(missedLine(seen), null, 'nothing ran yet');
  const list = out.devServer.setupMiddlewares([{ name: 'webpack-dev-middleware' }], {});
  assert.deepEqual(list.map((m) => m.name), ['ng-annotate', 'webpack-dev-middleware', 'user']);
  assert.equal(list[0].middleware, bridge.middleware);
  const server = { on() {} };
  out.devServer.onListening({ server });
  assert.deepEqual(calls, ['theirs', 'their listening']);
  assert.deepEqual(bridge.watched, [server]);
  assert.match(missedLine(seen), /no `index` page.*<script src="\/__annotate\/client\.js"><\/script>/);
  assert.equal(await transforms.indexHtml('<head></head>'), '<head><script src="/__annotate/client.js"></script></head>');
  assert.equal(missedLine(seen), null);
});

test('a config without devServer gets one; a dev server that never took the middleware is named, with the fix', async () => {
  const { transforms, seen } = webpackTransforms(fakeBridge());
  const out = await transforms.webpackConfiguration({});
  assert.equal(typeof out.devServer.setupMiddlewares, 'function');
  assert.match(missedLine(seen), /did not take ng-annotate's middleware.*ng-annotate serve --proxy/);
});

test('allowedHosts: disableHostCheck is any host; otherwise the list', () => {
  assert.equal(allowedHostsOf({ disableHostCheck: true, allowedHosts: ['a'] }), true);
  assert.deepEqual(allowedHostsOf({ allowedHosts: ['a.local'] }), ['a.local']);
  assert.deepEqual(allowedHostsOf({}), []);
});

test('valuesOf: the values in order, the error thrown, the subscription ended when the loop stops early', async () => {
  const got = [];
  for await (const v of valuesOf(new Observable((s) => { s.next(1); setTimeout(() => { s.next(2); s.complete(); }, 10); }))) got.push(v);
  assert.deepEqual(got, [1, 2]);

  await assert.rejects(async () => {
    for await (const v of valuesOf(new Observable((s) => { s.next(1); s.error(new Error('build failed')); }))) got.push(v);
  }, /build failed/);

  let unsubscribed = false;
  const endless = new Observable((s) => { const t = setInterval(() => s.next('tick'), 5); return () => { unsubscribed = true; clearInterval(t); }; });
  for await (const v of valuesOf(endless)) { assert.equal(v, 'tick'); break; }
  assert.equal(unsubscribed, true);
});
