// Issue 11 item 5, the red team's case: a page on another loopback port
// injected annotations into a victim's session. Under --strict-origins
// (what integrations run) it cannot, nor with spellings that used to pass;
// a registered dev-server origin may use the browser protocol but never /mcp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Client, startServe, payload, withDeadline } from '../integration/lib/serve.js';
import { mcpRequest, INIT } from '../integration/lib/mcp-http.js';

function postOrigins(port, body) {
  return withDeadline(new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/__annotate/origins',
      headers: { 'Content-Type': 'application/json' } });
    req.on('response', (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  }), 'POST /__annotate/origins');
}

test('--strict-origins: another loopback page cannot reach a victim session; registered origins never reach /mcp', async (t) => {
  const server = await startServe(t, { args: ['--strict-origins'] });
  const own = `http://127.0.0.1:${server.port}`;
  const victim = await Client.connect(server.wsUrl, { headers: { Origin: own } });
  const { session } = await victim.handshake();
  const url = `${server.wsUrl}?sessionId=${session.id}`;

  for (const origin of ['http://localhost:3000', `https://127.0.0.1:${server.port}`,
    'http://localhost:evil.com', `http://127.0.0.1:${server.port}@evil.com`, 'null']) {
    await assert.rejects(Client.connect(url, { headers: { Origin: origin } }),
      (error) => error.statusCode === 403, origin);
  }
  // Nothing reached the victim's session.
  victim.send({ type: 'annotations:page', before: null, limit: 10 });
  assert.deepEqual((await victim.next('annotations:page')).annotations, []);
  assert.equal(victim.messages.filter((m) => m.type === 'annotation:created').length, 0);

  // The dev server registers its page origin: pages there work...
  assert.equal(await postOrigins(server.port, { origins: ['http://localhost:5173'] }), 200);
  const page = await Client.connect(url, { headers: { Origin: 'http://localhost:5173' } });
  await page.handshake();
  page.send({ type: 'annotation:create', payload: payload('from the dev server') });
  assert.equal((await victim.next('annotation:created')).annotation.annotationText, 'from the dev server');
  // ...but /mcp only takes agents (no Origin) and the daemon's own origin.
  assert.equal((await mcpRequest(server.port, { body: INIT, headers: { Origin: 'http://localhost:5173' } })).status, 403);
  assert.equal((await mcpRequest(server.port, { body: INIT })).status, 200);
  await page.close();
  await victim.close();
});
