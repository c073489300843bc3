// POST /__annotate/notice/foreign-overlay on `serve` (issue 21, item 9): the
// overlay stayed off on a page that runs ng-annotate-mcp's overlay. Under
// `serve --proxy` or the plain script tag, the daemon's stderr is the dev log:
// it names the page there, once, and a page cannot write control characters
// to the terminal through it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServe, withDeadline } from './lib/serve.js';
import { tempRoot } from './lib/cli.js';

const PATH = '/__annotate/notice/foreign-overlay';

async function post(port, body, path = PATH, method = 'POST') {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, body, signal: AbortSignal.timeout(10000) });
  await res.text();
  return res.status;
}

async function stderrMatching(server, re, what) {
  await withDeadline((async () => {
    while (!re.test(server.stderr())) await new Promise((r) => setTimeout(r, 50));
  })(), what, 10000);
}

test('serve logs a page whose overlay stepped aside for ng-annotate-mcp, once, and answers 204', async (t) => {
  const server = await startServe(t, { root: tempRoot(t) });
  assert.equal(await post(server.port, 'http://localhost:4750/cart'), 204);
  assert.equal(await post(server.port, 'http://localhost:4750/cart'), 204);
  assert.equal(await post(server.port, 'http://localhost:4750/\x1b[2Jx\nfake line'), 204);
  await stderrMatching(server, /x\?fake line runs ng-annotate-mcp's overlay/, 'the sanitised notice');
  const told = server.stderr().match(/http:\/\/localhost:4750\/cart runs ng-annotate-mcp's overlay/g) ?? [];
  assert.equal(told.length, 1, server.stderr());
  assert.doesNotMatch(server.stderr(), /\x1b/);
  assert.equal(await post(server.port, undefined, PATH, 'GET'), 405);
});
