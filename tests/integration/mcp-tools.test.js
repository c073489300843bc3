// Every tool of `ng-annotate mcp`, happy path and error path, through the
// official MCP SDK client over stdio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  connect, call, errorText, newSession, newAnnotation, importRecords, importRecordsAsync,
  withDeadline,
} from './lib/mcp.js';
import { tempRoot, isBinaryAbsolute } from './lib/cli.js';

async function setup(t, { sessionOverrides = {}, annotations = 1 } = {}) {
  const root = tempRoot(t);
  const session = newSession(sessionOverrides);
  const list = [];
  for (let i = 0; i < annotations; i++) {
    list.push(newAnnotation(session.id, {
      annotationText: `request ${i}`,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    }));
  }
  importRecords(root, { sessions: [session], annotations: list });
  const client = await connect(t, root);
  return { root, session, annotations: list, client };
}

test('list_sessions and get_session', async (t) => {
  const { client, session, annotations } = await setup(t);
  const { value: listed } = await call(client, 'list_sessions');
  assert.deepEqual(listed.sessions.map((s) => s.id), [session.id]);
  const { value } = await call(client, 'get_session', { id: session.id });
  assert.equal(value.session.id, session.id);
  assert.deepEqual(value.annotations.map((a) => a.id), [annotations[0].id]);
  const { result } = await call(client, 'get_session', { id: 'nope' });
  assert.equal(errorText(result), 'Error: no session with id nope');
});

test('get_annotation, get_pending, get_all_pending', async (t) => {
  const { client, session, annotations } = await setup(t, { annotations: 3 });
  const { value: one } = await call(client, 'get_annotation', { id: annotations[1].id });
  assert.equal(one.annotationText, 'request 1');
  assert.equal(errorText((await call(client, 'get_annotation', { id: 'nope' })).result),
    'Error: no annotation with id nope');

  await call(client, 'acknowledge', { id: annotations[0].id });
  const { value: pending } = await call(client, 'get_pending', { sessionId: session.id });
  assert.deepEqual(pending.annotations.map((a) => a.annotationText), ['request 1', 'request 2']);
  const { value: all } = await call(client, 'get_all_pending');
  assert.deepEqual(all.annotations.map((a) => a.annotationText), ['request 1', 'request 2']);
  assert.equal(errorText((await call(client, 'get_pending', {})).result),
    "Error: missing required argument 'sessionId'");
});

test('acknowledge: after the change with its reply; a second acknowledge fails', async (t) => {
  const { client, annotations: [a] } = await setup(t);
  const { value } = await call(client, 'acknowledge', { id: a.id, message: 'on it' });
  assert.equal(value.status, 'acknowledged');
  assert.deepEqual(value.replies.map((r) => [r.author, r.message]), [['agent', 'on it']]);
  const { result } = await call(client, 'acknowledge', { id: a.id });
  assert.match(errorText(result), /^Error: cannot acknowledge annotation .*: it is acknowledged/);
  assert.equal(errorText((await call(client, 'acknowledge', {})).result),
    "Error: missing required argument 'id'");
});

test('propose_diff stores the diff and clears an earlier response', async (t) => {
  const { root, client, annotations: [a] } = await setup(t);
  const { value } = await call(client, 'propose_diff', { id: a.id, diff: '--- a\n+++ b\n' });
  assert.equal(value.status, 'diff_proposed');
  assert.equal(value.diff, '--- a\n+++ b\n');
  // The user rejects it (imported from another process), then the agent proposes again.
  importRecords(root, { annotations: [{ ...value, diffResponse: 'rejected' }] });
  const { value: again } = await call(client, 'propose_diff', { id: a.id, diff: '--- a\n+++ c\n' });
  assert.equal(again.diffResponse ?? null, null);
  assert.equal(errorText((await call(client, 'propose_diff', { id: a.id })).result),
    "Error: missing required argument 'diff'");
});

test('watch_diff_response: woken by the user\'s verdict from another process', async (t) => {
  const { root, client, annotations: [a] } = await setup(t);
  const { value: proposed } = await call(client, 'propose_diff', { id: a.id, diff: 'd' });
  const watching = call(client, 'watch_diff_response', { id: a.id, timeoutMs: 30000 });
  // Let the server see the request before the verdict lands: a ping after it is answered after it is read.
  await client.ping();
  const start = performance.now();
  importRecords(root, { annotations: [{ ...proposed, diffResponse: 'approved' }] });
  const { value } = await withDeadline(watching, 'watch_diff_response');
  console.log(`verdict -> watch_diff_response returned: ${(performance.now() - start).toFixed(1)} ms (incl. import process)`);
  assert.equal(value.status, 'approved');
  assert.equal(value.annotation.id, a.id);
});

test('watch_diff_response: yolo mode approves at once and records it', async (t) => {
  const { client, annotations: [a] } = await setup(t, { sessionOverrides: { yoloMode: true } });
  await call(client, 'propose_diff', { id: a.id, diff: 'd' });
  const { value } = await call(client, 'watch_diff_response', { id: a.id });
  assert.equal(value.status, 'approved');
  const { value: stored } = await call(client, 'get_annotation', { id: a.id });
  assert.equal(stored.diffResponse, 'approved');
});

test('watch_diff_response: timeout, range and status errors', async (t) => {
  const { client, annotations: [a] } = await setup(t);
  assert.match(errorText((await call(client, 'watch_diff_response', { id: a.id })).result),
    /is pending, not diff_proposed/);
  await call(client, 'propose_diff', { id: a.id, diff: 'd' });
  const { value } = await call(client, 'watch_diff_response', { id: a.id, timeoutMs: 50 });
  assert.deepEqual(value, { status: 'timeout' });
  assert.equal(errorText((await call(client, 'watch_diff_response', { id: a.id, timeoutMs: 600001 })).result),
    'Error: timeoutMs must be between 0 and 600000 (got 600001)');
});

test('resolve, dismiss and reply', async (t) => {
  const { client, annotations: [a, b, c] } = await setup(t, { annotations: 3 });
  const { value: resolved } = await call(client, 'resolve', { id: a.id, summary: 'made it primary' });
  assert.equal(resolved.status, 'resolved');
  assert.equal(resolved.replies.at(-1).message, 'made it primary');
  assert.match(errorText((await call(client, 'resolve', { id: a.id })).result), /it is resolved/);

  assert.equal(errorText((await call(client, 'dismiss', { id: b.id })).result),
    "Error: missing required argument 'reason'");
  assert.match(errorText((await call(client, 'dismiss', { id: b.id, reason: '  ' })).result), /must not be empty/);
  const { value: dismissed } = await call(client, 'dismiss', { id: b.id, reason: 'out of scope' });
  assert.equal(dismissed.status, 'dismissed');
  assert.deepEqual(dismissed.replies.map((r) => [r.author, r.message]), [['agent', 'out of scope']]);

  const { value: replied } = await call(client, 'reply', { id: c.id, message: 'which button?' });
  assert.equal(replied.status, 'pending');
  assert.equal(replied.replies[0].message, 'which button?');
  assert.match(errorText((await call(client, 'reply', { id: 'nope', message: 'x' })).result), /no annotation with id nope/);
});

test('watch_annotations: returns at once when work is waiting', async (t) => {
  const { client, annotations: [a] } = await setup(t);
  const { value } = await call(client, 'watch_annotations');
  assert.equal(value.status, 'annotations');
  assert.deepEqual(value.annotations.map((x) => x.id), [a.id]);
});

test('watch_annotations: a user reply to the agent is work', async (t) => {
  const { root, client, annotations: [a] } = await setup(t);
  await call(client, 'acknowledge', { id: a.id });
  const { value: asked } = await call(client, 'reply', { id: a.id, message: 'which button?' });
  assert.equal((await call(client, 'watch_annotations', { timeoutMs: 0 })).value.status, 'timeout');
  const watching = call(client, 'watch_annotations', { timeoutMs: 30000 });
  await client.ping();
  const answer = { id: 'r-user', createdAt: new Date().toISOString(), author: 'user', message: 'the blue one' };
  await importRecordsAsync(root, { annotations: [{ ...asked, replies: [...asked.replies, answer] }] });
  const { value } = await withDeadline(watching, 'watch_annotations');
  assert.equal(value.status, 'annotations');
  assert.equal(value.annotations[0].replies.at(-1).message, 'the blue one');
});

test('watch_annotations: timeout payload with an actionable hint', async (t) => {
  const { client } = await setup(t, { annotations: 0, sessionOverrides: { active: false } });
  const { value } = await call(client, 'watch_annotations', { timeoutMs: 30 });
  assert.equal(value.status, 'timeout');
  // The store's absolute path, as the binary's platform writes one.
  assert.ok(isBinaryAbsolute(value.storePath), value.storePath);
  assert.match(value.storePath, /[\\/]\.ng-annotate[\\/]store\.db$/);
  assert.equal(value.activeSessions, 0);
  assert.match(value.hint, /ng-annotate serve/);
  assert.match(value.hint, /Alt\+Shift\+A/);
  assert.match(errorText((await call(client, 'watch_annotations', { timeoutMs: -5 })).result),
    /timeoutMs must be between 0 and 600000/);
  assert.match(errorText((await call(client, 'watch_annotations', { sessionId: 'nope' })).result),
    /no session with id nope/);
});
