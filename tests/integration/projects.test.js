// Projects (issue 19): one store holds many, and two projects in one SQLite
// file or one PostgreSQL database never see each other: not their sessions,
// annotations or pending lists, and an agent's watch in one project is not
// woken by the other's work. One table, both backends; the real `serve` and
// `ng-annotate mcp` with the official MCP SDK client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { startServe, Client, payload, withDeadline } from './lib/serve.js';
import { connect, call } from './lib/mcp.js';
import { tempRoot } from './lib/cli.js';
import { useCluster } from './lib/pg.js';

const cluster = useCluster({ lazy: true });

// Each row: where the store is, as the arguments every process of a
// project gets, and the project key a process given no --project uses.
const BACKENDS = [
  {
    name: 'SQLite (the project\'s store file)',
    async store(t) {
      const root = tempRoot(t);
      return { root, args: [], defaultProject: basename(root) };
    },
  },
  {
    name: 'PostgreSQL',
    async store(t) {
      return { root: tempRoot(t), args: ['--store', await cluster.ready()], defaultProject: 'default' };
    },
  },
];

for (const backend of BACKENDS) {
  test(`two projects in one store never see each other (${backend.name})`, async (t) => {
    const { root, args, defaultProject } = await backend.store(t);
    // `mine` is the default project; `theirs` is named.
    const theirs = `theirs-${process.pid}`;
    const server = await startServe(t, { root, args });
    assert.equal(server.project, defaultProject);
    const health = await (await fetch(`http://127.0.0.1:${server.port}/__annotate/health`)).json();
    assert.equal(health.project, defaultProject);

    const myAgent = await connect(t, root, 'my-agent', args);
    const theirAgent = await connect(t, root, 'their-agent', [...args, '--project', theirs]);
    // Both wait; only the agent of the project the browser works in wakes.
    const theirWatch = call(theirAgent, 'watch_annotations', { timeoutMs: 3000 });
    const myWatch = call(myAgent, 'watch_annotations', { timeoutMs: 20000 });
    await Promise.all([myAgent.ping(), theirAgent.ping()]);

    const browser = await Client.connect(server.wsUrl);
    t.after(() => browser.close());
    const { session } = await browser.handshake();
    browser.send({ type: 'annotation:create', payload: payload('only mine') });
    const { annotation } = await browser.next('annotation:created');

    const { value: mine } = await withDeadline(myWatch, 'my agent to wake', 20000);
    assert.deepEqual(mine.annotations.map((a) => a.id), [annotation.id]);
    const { value: nothing } = await withDeadline(theirWatch, 'their watch to time out', 20000);
    assert.equal(nothing.status, 'timeout', JSON.stringify(nothing));

    assert.deepEqual((await call(theirAgent, 'get_all_pending')).value.annotations ?? [], []);
    assert.deepEqual((await call(theirAgent, 'list_sessions')).value.sessions, []);
    assert.ok((await call(theirAgent, 'acknowledge', { id: annotation.id })).result.isError);
    const { value: pending } = await call(myAgent, 'get_all_pending');
    assert.deepEqual(pending.annotations.map((a) => a.id), [annotation.id]);
    const { value: sessions } = await call(myAgent, 'list_sessions');
    assert.deepEqual(sessions.sessions.map((s) => s.id), [session.id]);
  });
}
