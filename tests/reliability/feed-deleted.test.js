// Issue 11 item 4: deleting .ng-annotate/store.db-notify while serve runs
// (a `git clean`, a cleanup script) must not make the change feed go deaf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, startServe, payload, withDeadline } from '../integration/lib/serve.js';
import { connect, call } from '../integration/lib/mcp.js';

test('notify file deleted: an mcp started afterwards wakes on a browser create, the browser sees its acknowledge', async (t) => {
  // Our own root, removed after serve and mcp are gone: both recreate the
  // notify file when it disappears, which is the point.
  const root = mkdtempSync(join(tmpdir(), 'nga-rel-'));
  const server = await startServe(t, { root });
  const browser = await Client.connect(server.wsUrl);
  await browser.handshake();
  const notify = join(server.root, '.ng-annotate', 'store.db-notify');
  assert.ok(existsSync(notify));
  rmSync(notify);

  const agent = await connect(t, server.root, 'agent-after-delete');
  const watch = call(agent, 'watch_annotations', { timeoutMs: 20000 });
  // Let the watch block first: a create before it would be answered at once
  // without any wake-up, and prove nothing.
  await new Promise((resolve) => setTimeout(resolve, 300));
  browser.send({ type: 'annotation:create', payload: payload('wake the agent') });
  const created = (await browser.next('annotation:created')).annotation;

  // The signal path must deliver well within the 3 s safety timer.
  const started = Date.now();
  const { value } = await withDeadline(watch, 'watch_annotations to wake', 10000);
  assert.equal(value.status, 'annotations');
  assert.equal(value.annotations[0].id, created.id);
  t.diagnostic(`woke after ${Date.now() - started} ms`);

  await call(agent, 'acknowledge', { id: created.id, message: 'on it' });
  const updated = await browser.nextMatching(
    (m) => m.type === 'annotation:updated' && m.annotation.status === 'acknowledged',
    'the acknowledge in the browser', 10000);
  assert.equal(updated.annotation.id, created.id);
  assert.ok(existsSync(notify), 'the notify file was recreated');
  await withDeadline((async () => {
    while (!/store\.db-notify was deleted or replaced/.test(server.stderr())) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })(), 'the log line about the recreated notify file');
  assert.equal(server.stderr().match(/was deleted or replaced/g).length, 1, 'logged once');
  await browser.close();
  t.after(() => rmSync(root, { recursive: true, force: true, maxRetries: 5 }));
});
