// Several `serve` instances on one PostgreSQL database behave as one server
// (issue 19): a browser on one instance sees, live, what an agent does through
// another's /mcp, and the reverse; a killed instance's sessions go inactive.
// (Projects apart on one database: projects.test.js, on both backends.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServe, Client, payload, withDeadline } from './lib/serve.js';
import { connectHttp } from './lib/mcp-http.js';
import { call } from './lib/mcp.js';
import { useCluster } from './lib/pg.js';

const cluster = useCluster();

function shown(browser, id, status) {
  return browser.nextMatching(
    (m) => (m.type === 'annotation:updated' || m.type === 'annotation:created')
      && m.annotation.id === id && m.annotation.status === status,
    `annotation ${id} shown as ${status}`);
}

async function instances(t, project, count = 2) {
  const args = ['--store', cluster.url, '--project', project];
  const out = [];
  for (let i = 0; i < count; i++) out.push(await startServe(t, { args }));
  return out;
}

// The browser on `front`, the agent (the official MCP SDK client) on `back`.
async function browserAndAgentApart(t, front, back) {
  const browser = await Client.connect(front.wsUrl);
  t.after(() => browser.close());
  const { session } = await browser.handshake();
  const { client: agent } = await connectHttp(t, back.port, 'pg-agent');

  const watching = call(agent, 'watch_annotations', { timeoutMs: 20000 });
  await agent.ping();
  browser.send({ type: 'annotation:create', payload: payload('make it blue') });
  const { value: work } = await withDeadline(watching, 'the agent on the other instance to wake', 10000);
  assert.equal(work.status, 'annotations');
  assert.equal(work.annotations.length, 1);
  const annotation = work.annotations[0];
  assert.equal(annotation.sessionId, session.id);

  const ack = await call(agent, 'acknowledge', { id: annotation.id, message: 'on it' });
  assert.equal(ack.value.status, 'acknowledged');
  const acked = await withDeadline(shown(browser, annotation.id, 'acknowledged'),
    'the browser to see the other instance\'s acknowledge', 10000);
  assert.deepEqual(acked.annotation.replies.map((r) => [r.author, r.message]), [['agent', 'on it']]);

  // The browser answers; the agent waiting on the other instance wakes with it.
  const again = call(agent, 'watch_annotations', { timeoutMs: 20000 });
  await agent.ping();
  browser.send({ type: 'annotation:reply', id: annotation.id, message: 'darker, please' });
  const { value: answer } = await withDeadline(again, 'the user\'s reply to reach the other instance', 10000);
  assert.equal(answer.status, 'annotations');
  const replied = answer.annotations.find((a) => a.id === annotation.id);
  assert.equal(replied.replies.at(-1).message, 'darker, please');
  return { browser, session, annotation };
}

test('browser on A, agent on B: create, acknowledge, reply, all live', async (t) => {
  const [a, b] = await instances(t, cluster.project());
  await browserAndAgentApart(t, a, b);
});

test('browser on B, agent on A: the reverse', async (t) => {
  const [a, b] = await instances(t, cluster.project());
  await browserAndAgentApart(t, b, a);
});

// A session belongs to the instance holding its socket; that instance killed,
// another instance makes the session inactive once the dead one's lease ran
// out (kInstanceLease 15 s + one renewal interval 5 s after its last
// renewal: src/store/pg_store.h), while a live instance's session stays active.
test('an instance killed with SIGKILL: its sessions go inactive within the lease bound', async (t) => {
  const [a, b] = await instances(t, cluster.project());
  const onA = await Client.connect(a.wsUrl);
  t.after(() => onA.close());
  const { session: doomed } = await onA.handshake();
  const onB = await Client.connect(b.wsUrl);
  t.after(() => onB.close());
  const { session: alive } = await onB.handshake();
  const { client: agent } = await connectHttp(t, b.port, 'lease-agent');
  const activeOf = async () => {
    const { value } = await call(agent, 'list_sessions');
    return Object.fromEntries(value.sessions.map((s) => [s.id, s.active]));
  };
  assert.deepEqual(await activeOf(), { [doomed.id]: true, [alive.id]: true });

  a.child.kill('SIGKILL');
  await withDeadline(a.exited, 'instance A to die');
  const killed = Date.now();
  const BOUND_MS = 20000 + 10000;  // lease + renewal, and room for a loaded machine
  let now;
  while ((now = await activeOf())[doomed.id]) {
    assert.ok(Date.now() - killed < BOUND_MS, `session still active ${BOUND_MS} ms after the kill`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.deepEqual(now, { [doomed.id]: false, [alive.id]: true });
  t.diagnostic(`inactive ${Date.now() - killed} ms after the SIGKILL`);
});
