// Team mode on PostgreSQL (issue 20), where it is used: several `serve
// --team` instances on one database, tokens per project made by the CLI
// from another process, real clients (`ws`, the MCP SDK with a Bearer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServe, Client, payload, withDeadline } from './lib/serve.js';
import { mcpRequest, INIT } from './lib/mcp-http.js';
import { call } from './lib/mcp.js';
import { useCluster } from './lib/pg.js';
import { createToken, revokeToken, connectAgent, bearer } from './lib/team.js';

const cluster = useCluster();

async function project(t, count = 1) {
  const name = cluster.project();
  const where = ['--store', cluster.url, '--project', name];
  const servers = [];
  for (let i = 0; i < count; i++) servers.push(await startServe(t, { args: [...where, '--team'] }));
  return { name, where, servers };
}

test("a token of project A can neither read nor write project B", async (t) => {
  const a = await project(t);
  const b = await project(t);
  const reviewerA = createToken(a.where, 'reviewer', 'pm-a');
  const agentA = createToken(a.where, 'agent', 'bot-a');
  const adminB = createToken(b.where, 'admin', 'admin-b');
  const [serverA] = a.servers;
  const [serverB] = b.servers;

  // B's own admin writes something in B.
  const inB = await Client.connect(serverB.wsUrl, { headers: bearer(adminB) });
  t.after(() => inB.close());
  await inB.handshake();
  inB.send({ type: 'annotation:create', payload: payload('secret of B') });
  await inB.next('annotation:created');

  // A's tokens at B's door: unknown there, for every way in.
  await assert.rejects(Client.connect(serverB.wsUrl, { headers: bearer(reviewerA) }), (e) => e.statusCode === 401);
  assert.equal((await mcpRequest(serverB.port, { headers: bearer(agentA), body: INIT })).status, 401);
  await assert.rejects(connectAgent(t, serverB.port, agentA), /401|nauthorized/);

  // At its own door, A's agent sees A's work only.
  const { client } = await connectAgent(t, serverA.port, agentA);
  const { value } = await call(client, 'get_all_pending', {});
  assert.deepEqual(value.annotations, []);
});

test('reviewer on one instance, agent on another; a revoke from the CLI closes the socket', async (t) => {
  const { where, servers: [front, back] } = await project(t, 2);
  const reviewer = createToken(where, 'reviewer', 'Pat');
  const agent = createToken(where, 'agent', 'laptop-agent');
  const browser = await Client.connect(front.wsUrl, { headers: bearer(reviewer) });
  t.after(() => browser.close());
  await browser.handshake();
  const { client } = await connectAgent(t, back.port, agent);
  const watching = call(client, 'watch_annotations', { timeoutMs: 20000 });
  await client.ping();
  browser.send({ type: 'annotation:create', payload: payload('the price is wrong') });
  const { value } = await withDeadline(watching, 'the agent on the other instance to wake', 10000);
  assert.equal(value.annotations[0].annotationText, 'the price is wrong');

  revokeToken(where, 'Pat');
  const closed = await browser.waitClose(10000);
  assert.equal(closed.code, 1008);
  await assert.rejects(Client.connect(front.wsUrl, { headers: bearer(reviewer) }), (e) => e.statusCode === 401);
  // The agent's token is untouched.
  const again = await call(client, 'get_all_pending', {});
  assert.equal(again.value.annotations.length, 1);
});
