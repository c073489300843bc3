// The Windows build end to end under Wine (make test-windows sets
// NG_ANNOTATE_BIN to scripts/wine-bin.sh): `serve`, a browser create over
// the WebSocket, an `ng-annotate mcp` in another process woken by it through
// the store's change wake-up (the portable backend: Windows has no inotify),
// and a clean stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServe, Client, payload, withDeadline } from '../integration/lib/serve.js';
import { connect, call } from '../integration/lib/mcp.js';

test('serve, a browser create, a woken mcp watch and a clean stop, all on the Windows binary', async (t) => {
  const serve = await startServe(t, { ms: 60000 });
  const page = await Client.connect(serve.wsUrl);
  const { session } = await page.handshake();
  assert.ok(session?.id, 'session:created names a session');

  const agent = await connect(t, serve.root, 'wine-agent');
  const watching = call(agent, 'watch_annotations', { timeoutMs: 60000 });
  await agent.ping();  // the watch was read, and is blocked

  page.send({ type: 'annotation:create', payload: payload('made under Wine') });
  const created = (await page.next('annotation:created')).annotation;
  const { value } = await withDeadline(watching, 'the mcp process to be woken', 30000);
  assert.equal(value.status, 'annotations');
  assert.deepEqual(value.annotations.map((a) => a.id), [created.id]);
  assert.equal(value.annotations[0].annotationText, 'made under Wine');

  // Ctrl+C: Wine turns SIGINT into the console's CTRL_C_EVENT.
  await page.close();
  const exit = await serve.stop('SIGINT');
  assert.deepEqual(exit, { code: 0, signal: null }, serve.stderr());
  assert.ok(!existsSync(join(serve.root, '.ng-annotate', 'daemon.json')), 'daemon.json removed on a clean stop');
});
