// The whole loop across processes, as a developer uses it: the browser talks
// to `ng-annotate serve`, the agent to its own `ng-annotate mcp` over stdio,
// and the two meet only in the store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServe, Client, payload, withDeadline } from './lib/serve.js';
import { connect, call } from './lib/mcp.js';
import { binaryPath } from './lib/cli.js';

// Waits for the browser to be shown `id` in `status`.
function shown(browser, id, status) {
  return browser.nextMatching(
    (m) => (m.type === 'annotation:updated' || m.type === 'annotation:created')
      && m.annotation.id === id && m.annotation.status === status,
    `annotation ${id} shown as ${status}`);
}

test('browser create -> agent in another process -> diff approved -> resolved, all pushed live', async (t) => {
  const server = await startServe(t);
  const browser = await Client.connect(server.wsUrl);
  t.after(() => browser.close());
  const { session } = await browser.handshake();
  const agent = await connect(t, server.root, 'loop-agent');

  // The agent blocks first; the browser's create must wake it.
  const watching = call(agent, 'watch_annotations', { timeoutMs: 30000 });
  await agent.ping();  // the watch has been read and is waiting
  const created = Date.now();
  const t0 = performance.now();
  browser.send({ type: 'annotation:create', payload: payload('make the save button primary') });
  const { value: work } = await withDeadline(watching, 'watch_annotations to wake', 10000);
  const woke = performance.now() - t0;
  assert.equal(work.status, 'annotations');
  assert.equal(work.annotations.length, 1);
  const annotation = work.annotations[0];
  assert.equal(annotation.sessionId, session.id);
  assert.equal(annotation.annotationText, 'make the save button primary');
  assert.ok(Date.parse(annotation.createdAt) >= created - 1000);
  await shown(browser, annotation.id, 'pending');

  // Every agent step shows up in the browser.
  let t1 = performance.now();
  const ack = await call(agent, 'acknowledge', { id: annotation.id, message: 'on it' });
  assert.equal(ack.value.status, 'acknowledged');
  const acked = await shown(browser, annotation.id, 'acknowledged');
  const pushed = performance.now() - t1;
  assert.deepEqual(acked.annotation.replies.map((r) => [r.author, r.message]), [['agent', 'on it']]);

  const diff = '--- a/src/app/button.component.ts\n+++ b/src/app/button.component.ts\n@@ -1 +1 @@\n-x\n+y\n';
  await call(agent, 'propose_diff', { id: annotation.id, diff });
  const proposed = await shown(browser, annotation.id, 'diff_proposed');
  assert.equal(proposed.annotation.diff, diff);

  const verdict = call(agent, 'watch_diff_response', { id: annotation.id, timeoutMs: 30000 });
  await agent.ping();
  browser.send({ type: 'diff:approved', id: annotation.id });
  const { value: answer } = await withDeadline(verdict, 'watch_diff_response to return', 10000);
  assert.equal(answer.status, 'approved');
  assert.equal(answer.annotation.diffResponse, 'approved');

  t1 = performance.now();
  await call(agent, 'resolve', { id: annotation.id, summary: 'the save button is primary now' });
  const resolved = await shown(browser, annotation.id, 'resolved');
  const resolvedPush = performance.now() - t1;
  assert.equal(resolved.annotation.replies.at(-1).message, 'the save button is primary now');

  console.log(`browser create -> agent watch returned (separate mcp process): ${woke.toFixed(2)} ms`);
  console.log(`agent acknowledge -> browser shown: ${pushed.toFixed(2)} ms; resolve -> shown: ${resolvedPush.toFixed(2)} ms`);
});

test("the user's answer to the agent's question wakes watch_annotations", async (t) => {
  const server = await startServe(t);
  const browser = await Client.connect(server.wsUrl);
  t.after(() => browser.close());
  await browser.handshake();
  const agent = await connect(t, server.root, 'question-agent');

  browser.send({ type: 'annotation:create', payload: payload('change the colour') });
  const { annotation } = await browser.next('annotation:created');
  await call(agent, 'acknowledge', { id: annotation.id });
  await call(agent, 'reply', { id: annotation.id, message: 'which colour?' });
  await shown(browser, annotation.id, 'acknowledged');

  // Nothing is waiting now: the watch blocks until the user answers.
  const watching = call(agent, 'watch_annotations', { timeoutMs: 30000 });
  await agent.ping();
  browser.send({ type: 'annotation:reply', id: annotation.id, message: 'blue, like the logo' });
  const { value } = await withDeadline(watching, 'watch_annotations to wake on the reply', 10000);
  assert.equal(value.status, 'annotations');
  assert.equal(value.annotations[0].id, annotation.id);
  assert.deepEqual(value.annotations[0].replies.map((r) => r.author), ['agent', 'user']);
  assert.equal(value.annotations[0].replies.at(-1).message, 'blue, like the logo');
});

test('watch_annotations times out with an actionable hint while the browser is connected', async (t) => {
  const server = await startServe(t);
  const browser = await Client.connect(server.wsUrl);
  t.after(() => browser.close());
  await browser.handshake();
  const agent = await connect(t, server.root, 'idle-agent');
  const { value } = await call(agent, 'watch_annotations', { timeoutMs: 50 });
  assert.equal(value.status, 'timeout');
  assert.equal(value.activeSessions, 1);
  assert.equal(value.storePath, binaryPath(server.store));  // as the binary names it
  assert.match(value.hint, /1 browser session\(s\) connected/);
});
