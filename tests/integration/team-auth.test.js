// Team mode (issue 20), on the real binary with real clients: `ws` for the
// overlay's socket, the official MCP SDK client with a Bearer header for the
// agent, tokens made by `ng-annotate token`. Every test here fails on the
// binary before team mode (no --team, no `token`). On SQLite; the PostgreSQL
// cases (projects, a revoke from another process) are team-pg.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServe, Client, payload, rawRequest, withDeadline } from './lib/serve.js';
import { mcpRequest, openStream, INIT } from './lib/mcp-http.js';
import { call } from './lib/mcp.js';
import { run, tempRoot } from './lib/cli.js';
import { createToken, revokeToken, tokenId, connectAgent, bearer } from './lib/team.js';

async function teamServer(t) {
  const root = tempRoot(t);
  const where = ['--root', root];
  const tokens = {
    reviewer: createToken(where, 'reviewer', 'Pat Reviewer'),
    agent: createToken(where, 'agent', 'ci-bot'),
    admin: createToken(where, 'admin', 'Ada Admin'),
  };
  const server = await startServe(t, { root, args: ['--team'] });
  return { root, where, tokens, server };
}

function refusedUpgrade(url, headers = {}) {
  return Client.connect(url, { headers }).then(
    (client) => { client.close(); throw new Error('the upgrade was accepted'); },
    (error) => error.statusCode ?? error.message);
}

const ROUTES = [
  ['GET', '/__annotate/health'],
  ['GET', '/__annotate/client.js'],
  ['GET', '/__annotate/capture.js'],
  ['GET', '/__annotate/manifest'],
  ['GET', '/__annotate/annotations/x/screenshot'],
  ['POST', '/__annotate/origins'],
  ['POST', '/__annotate/notice/foreign-overlay'],
  ['GET', '/__annotate/upstream'],
  ['GET', '/mcp'],
  ['POST', '/mcp'],
  ['DELETE', '/mcp'],
  ['GET', '/'],
  ['GET', '/no/such/route'],
];

test('no token: 401 on every route, the WebSocket and /mcp included, loopback or not', async (t) => {
  const { server } = await teamServer(t);
  assert.equal(server.team, true, 'the listening line says team mode');
  for (const [method, path] of ROUTES) {
    const r = await rawRequest(server.port, { method, path });
    assert.equal(r.status, 401, `${method} ${path}: ${r.body}`);
    assert.match(r.headers['www-authenticate'], /^Bearer/);
  }
  assert.equal(await refusedUpgrade(server.wsUrl), 401);
  // The SDK client without a header gets nowhere either.
  await assert.rejects(connectAgent(t, server.port, null), /401|nauthorized/);
  // Loopback dev mode without --team is as before: no token.
  const plain = await startServe(t, {});
  assert.equal((await rawRequest(plain.port, { path: '/__annotate/health' })).status, 200);
  const browser = await Client.connect(plain.wsUrl);
  await browser.handshake();
  await browser.close();
});

test('roles: a reviewer token on /mcp is 403, an agent token on the WebSocket is 403, admin has both', async (t) => {
  const { server, tokens } = await teamServer(t);
  const mcpAs = (token) => mcpRequest(server.port, { headers: bearer(token), body: INIT });
  const reviewerOnMcp = await mcpAs(tokens.reviewer);
  assert.equal(reviewerOnMcp.status, 403, reviewerOnMcp.body);
  await assert.rejects(connectAgent(t, server.port, tokens.reviewer), /403|orbidden/);
  assert.equal(await refusedUpgrade(server.wsUrl, bearer(tokens.agent)), 403);
  // The cookie is no way onto /mcp, whatever its role.
  const cookieOnMcp = await mcpRequest(server.port, {
    headers: { Cookie: `nga_token=${tokens.admin}` }, body: INIT });
  assert.equal(cookieOnMcp.status, 401);

  for (const role of ['reviewer', 'admin']) {
    const browser = await Client.connect(server.wsUrl, { headers: bearer(tokens[role]) });
    t.after(() => browser.close());
    await browser.handshake();
  }
  for (const role of ['agent', 'admin']) {
    const { client } = await connectAgent(t, server.port, tokens[role], `as-${role}`);
    const { value } = await call(client, 'get_all_pending', {});
    assert.ok(Array.isArray(value.annotations));
  }
  // Any live token reads the other routes.
  const health = await rawRequest(server.port, { path: '/__annotate/health', headers: bearer(tokens.agent) });
  assert.equal(health.status, 200);
});

test('a forged, malformed or expired token is refused', async (t) => {
  const { server, tokens, where } = await teamServer(t);
  const good = tokens.admin;
  const forged = good.slice(0, 21) + (good[21] === 'a' ? 'b' : 'a') + good.slice(22);
  const unknownId = 'nga_' + '0'.repeat(16) + good.slice(20);
  for (const bad of [forged, unknownId, 'nga_nope', good + 'x', 'Bearer', good.toUpperCase()]) {
    const r = await rawRequest(server.port, { path: '/__annotate/health', headers: bearer(bad) });
    assert.equal(r.status, 401, `${bad.slice(0, 12)}…: ${r.body}`);
    assert.equal(await refusedUpgrade(server.wsUrl, bearer(bad)), 401);
    assert.equal((await mcpRequest(server.port, { headers: bearer(bad), body: INIT })).status, 401);
  }
  const shortLived = createToken(where, 'admin', 'temp', ['--expires', '1s']);
  assert.equal((await rawRequest(server.port, { path: '/__annotate/health', headers: bearer(shortLived) })).status, 200);
  // Past its expiry (bounded wait, no timing assertion).
  const deadline = Date.now() + 10000;
  let status = 200;
  while (status === 200 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    status = (await rawRequest(server.port, { path: '/__annotate/health', headers: bearer(shortLived) })).status;
  }
  assert.equal(status, 401);
  const r = await rawRequest(server.port, { path: '/__annotate/health', headers: bearer(shortLived) });
  assert.match(r.body, /expired/);
});

// A raw /mcp session opened with `token`: its id, its GET notification
// stream and a POST stream blocked in watch_annotations, both open.
async function openMcpSession(port, token) {
  const init = await mcpRequest(port, { headers: bearer(token), body: INIT });
  assert.equal(init.status, 200, init.body);
  const sessionId = init.headers['mcp-session-id'];
  const headers = { ...bearer(token), 'Mcp-Session-Id': sessionId };
  await mcpRequest(port, { headers, body: { jsonrpc: '2.0', method: 'notifications/initialized' } });
  const notifications = await openStream(port, { headers });
  assert.equal(notifications.status, 200);
  const watch = await openStream(port, {
    method: 'POST',
    headers: { ...headers, Accept: 'application/json, text/event-stream' },
    body: { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'watch_annotations', arguments: { timeoutMs: 60000 } } },
  });
  assert.equal(watch.status, 200);
  return { sessionId, headers, notifications, watch };
}

test('revoke closes an open socket and an open /mcp session, and refuses the next request', async (t) => {
  const { server, tokens, where } = await teamServer(t);
  const browser = await Client.connect(server.wsUrl, { headers: bearer(tokens.reviewer) });
  t.after(() => browser.close());
  await browser.handshake();
  const agent = await openMcpSession(server.port, tokens.agent);
  t.after(() => { agent.notifications.close(); agent.watch.close(); });
  // Another token's socket and session stay open.
  const other = createToken(where, 'reviewer', 'someone else');
  const bystander = await Client.connect(server.wsUrl, { headers: bearer(other) });
  t.after(() => bystander.close());
  await bystander.handshake();
  const otherAgent = createToken(where, 'agent', 'other bot');
  const { client: busy } = await connectAgent(t, server.port, otherAgent, 'other-bot');

  revokeToken(where, tokenId(tokens.reviewer));
  const closed = await browser.waitClose(10000);
  assert.equal(closed.code, 1008);
  assert.match(closed.reason, /revoked or expired/);
  assert.equal(await refusedUpgrade(server.wsUrl, bearer(tokens.reviewer)), 401);

  revokeToken(where, 'ci-bot');
  await agent.watch.waitEnd();
  await agent.notifications.waitEnd();
  const after = await mcpRequest(server.port, {
    headers: agent.headers, body: { jsonrpc: '2.0', id: 8, method: 'tools/list' } });
  assert.equal(after.status, 401);
  assert.equal((await mcpRequest(server.port, { headers: bearer(tokens.agent), body: INIT })).status, 401);

  assert.equal(bystander.closed, null, 'a socket of another token stays open');
  bystander.send({ type: 'annotation:create', payload: payload('still here') });
  await bystander.next('annotation:created');
  const { value } = await call(busy, 'get_all_pending', {});
  assert.equal(value.annotations.length, 1);
});

test("a session is its token's: another token cannot use its id", async (t) => {
  const { server, tokens, where } = await teamServer(t);
  const mine = await openMcpSession(server.port, tokens.agent);
  t.after(() => { mine.notifications.close(); mine.watch.close(); });
  const thief = createToken(where, 'agent', 'thief');
  const r = await mcpRequest(server.port, {
    headers: { ...bearer(thief), 'Mcp-Session-Id': mine.sessionId },
    body: { jsonrpc: '2.0', id: 2, method: 'tools/list' } });
  assert.equal(r.status, 404);
  const ok = await mcpRequest(server.port, {
    headers: mine.headers, body: { jsonrpc: '2.0', id: 3, method: 'tools/list' } });
  assert.equal(ok.status, 200);
});

test('tokens are in no log, no error answer and no export', async (t) => {
  const { server, tokens, root } = await teamServer(t);
  const browser = await Client.connect(server.wsUrl, { headers: bearer(tokens.reviewer) });
  t.after(() => browser.close());
  await browser.handshake();
  browser.send({ type: 'annotation:create', payload: payload('a request') });
  await browser.next('annotation:created');
  const { client } = await connectAgent(t, server.port, tokens.agent);
  await call(client, 'get_all_pending', {});
  const refusals = [
    await rawRequest(server.port, { path: '/__annotate/health', headers: bearer(tokens.agent + 'x') }),
    await mcpRequest(server.port, { headers: bearer(tokens.reviewer), body: INIT }),
  ];
  revokeToken(['--root', root], 'Pat Reviewer');
  await browser.waitClose(10000);
  refusals.push(await rawRequest(server.port, { path: '/__annotate/health', headers: bearer(tokens.reviewer) }));

  const exported = run(['export', '--root', root]);
  assert.equal(exported.status, 0, exported.stderr);
  const listed = run(['token', 'list', '--root', root, '--json']);
  assert.equal(listed.status, 0, listed.stderr);
  assert.equal(JSON.parse(listed.stdout).length, 3);
  const db = readFileSync(server.store);  // the SQLite file itself
  for (const token of Object.values(tokens)) {
    const secret = token.slice(21);
    for (const [what, text] of [['serve stderr', server.stderr()], ['export', exported.stdout],
      ['token list', listed.stdout], ...refusals.map((r, i) => [`refusal ${i}`, r.body])]) {
      assert.ok(!text.includes(secret), `${what} holds a token secret`);
    }
    assert.ok(!db.includes(Buffer.from(secret)), 'the store holds a secret, not only its hash');
  }
});

test('who said what: the token names on the annotation, its replies and its status, in frames and MCP answers', async (t) => {
  const { server, tokens } = await teamServer(t);
  const browser = await Client.connect(`${server.wsUrl}?proto=2`, { headers: bearer(tokens.reviewer) });
  t.after(() => browser.close());
  await browser.handshake();
  browser.send({ type: 'annotation:create', payload: payload('the price is wrong') });
  const created = await browser.next('annotation:created');
  assert.equal(created.annotation.authorName, 'Pat Reviewer');
  const { client: agent } = await connectAgent(t, server.port, tokens.agent);
  const { value: pending } = await call(agent, 'get_all_pending', {});
  assert.equal(pending.annotations[0].authorName, 'Pat Reviewer');
  const { value: acked } = await call(agent, 'acknowledge', { id: created.annotation.id, message: 'on it' });
  assert.equal(acked.statusBy, 'ci-bot');
  assert.deepEqual(acked.replies.map((r) => [r.author, r.authorName, r.message]), [['agent', 'ci-bot', 'on it']]);
  const shown = await browser.nextMatching((m) => m.type === 'annotation:updated' && m.annotation?.status === 'acknowledged'
    || m.type === 'annotation:reply', 'the acknowledge on the socket');
  const reply = shown.reply ?? shown.annotation.replies.at(-1);
  assert.equal(reply.authorName, 'ci-bot');
  // The reviewer may not clear the session nor switch yolo mode on.
  browser.send({ type: 'annotations:clear' });
  const refused = await browser.next('error');
  assert.equal(refused.code, 'forbidden');
});

test('a reviewer deletes only the annotations its own token made, even in a session it joined', async (t) => {
  const { where, server, tokens } = await teamServer(t);
  const owner = await Client.connect(`${server.wsUrl}?proto=2`, { headers: bearer(tokens.reviewer) });
  t.after(() => owner.close());
  const { session } = await owner.handshake();
  owner.send({ type: 'annotation:create', payload: payload('mine to delete') });
  const mine = (await owner.next('annotation:created')).annotation;
  // Another reviewer who learns the session id joins it, and may not delete
  // what Pat made; the refusal changes nothing and the socket stays open.
  const other = createToken(where, 'reviewer', 'Sam Reviewer');
  const joiner = await Client.connect(`${server.wsUrl}?proto=2&sessionId=${session.id}`, { headers: bearer(other) });
  t.after(() => joiner.close());
  await joiner.handshake();
  joiner.send({ type: 'annotation:delete', id: mine.id });
  const refused = await joiner.next('error');
  assert.equal(refused.code, 'forbidden');
  assert.equal(refused.requestType, 'annotation:delete');
  joiner.send({ type: 'annotation:create', payload: payload('Sam still works') });
  assert.equal((await joiner.next('annotation:created')).annotation.authorName, 'Sam Reviewer');
  // Its author may.
  owner.send({ type: 'annotation:delete', id: mine.id });
  const deleted = await owner.nextMatching((m) => m.type === 'annotation:updated' && m.annotation?.id === mine.id,
    'the delete');
  assert.equal(deleted.annotation.status, 'dismissed');
});
