// `ng-annotate watch`: a browser's create, a user's reply and an agent's
// status changes, each made by another process, show up as one line each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client, startServe, payload, withDeadline } from './lib/serve.js';
import { connect as connectAgent, call } from './lib/mcp.js';
import { BIN, tempRoot, STOP_SIGNAL } from './lib/cli.js';

// `watch --root <root>`, with its stdout lines buffered and awaitable.
async function startWatch(t, root) {
  const child = spawn(BIN, ['watch', '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  const lines = [];
  const waiters = new Set();
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push({ line, at: performance.now() });
    for (const waiter of waiters) waiter();
  });
  const watch = {
    child, exited, lines, stderr: () => stderr,
    // The first line not yet taken that matches `pattern`: {line, at}.
    next(pattern, what = String(pattern)) {
      return withDeadline(new Promise((resolve) => {
        const check = () => {
          const index = lines.findIndex(({ line }) => pattern.test(line));
          if (index < 0) return;
          waiters.delete(check);
          resolve(lines.splice(index, 1)[0]);
        };
        waiters.add(check);
        check();
      }), `watch to print ${what} (stderr: ${stderr})`);
    },
    async stop(signal) {
      child.kill(signal);
      return withDeadline(exited, 'watch to exit');
    },
  };
  await watch.next(/^watching /, 'its first line');
  return watch;
}

test('watch prints a browser create, a reply and the agent\'s status changes as they happen', async (t) => {
  const server = await startServe(t);
  const watch = await startWatch(t, server.root);

  const browser = await Client.connect(server.wsUrl);
  const { session } = await browser.handshake();
  const short = session.id.slice(0, 8);
  await watch.next(new RegExp(`^\\d\\d:\\d\\d:\\d\\d  ${short}  session  browser opened`), 'the session');

  const sent = performance.now();
  browser.send({ type: 'annotation:create', payload: payload('the total is wrong when the cart is empty') });
  const created = await watch.next(/  new: /, 'the new annotation');
  console.log(`watch printed a browser create ${(created.at - sent).toFixed(2)} ms after it was sent`);
  assert.match(created.line,
    new RegExp(`^\\d\\d:\\d\\d:\\d\\d  ${short}  ButtonComponent  new: "the total is wrong when the cart is empty"$`));
  const { annotation } = await browser.next('annotation:created');

  browser.send({ type: 'annotation:reply', id: annotation.id, message: 'also when it has one item' });
  assert.match((await watch.next(/reply from/)).line,
    new RegExp(`  ${short}  ButtonComponent  reply from user: "also when it has one item"$`));

  const agent = await connectAgent(t, server.root);
  await call(agent, 'acknowledge', { id: annotation.id, message: 'on it' });
  assert.match((await watch.next(/acknowledged/)).line, /ButtonComponent  acknowledged, agent: "on it"$/);
  await call(agent, 'resolve', { id: annotation.id, summary: 'fixed the empty case' });
  assert.match((await watch.next(/resolved/)).line, /ButtonComponent  resolved, agent: "fixed the empty case"$/);

  await browser.close();
  await watch.next(/browser disconnected/);
  assert.deepEqual(await watch.stop('SIGINT'), { code: 0, signal: null });
  assert.equal(watch.stderr(), '');
});

test(`watch ends cleanly on ${STOP_SIGNAL} and prints nothing for what was there before`, async (t) => {
  const server = await startServe(t);
  const browser = await Client.connect(server.wsUrl);
  await browser.handshake();
  browser.send({ type: 'annotation:create', payload: payload('an old one') });
  await browser.next('annotation:created');

  const watch = await startWatch(t, server.root);
  browser.send({ type: 'annotation:create', payload: payload('a new one') });
  await watch.next(/new: "a new one"/);
  assert.equal(watch.lines.filter(({ line }) => /an old one/.test(line)).length, 0);
  await browser.close();
  assert.deepEqual(await watch.stop(STOP_SIGNAL), { code: 0, signal: null });
});

test('watch names the root it watches, and a bad root is an error', async (t) => {
  const root = tempRoot(t);
  const watch = await startWatch(t, root);
  assert.ok(existsSync(join(root, '.ng-annotate', 'store.db')));
  assert.deepEqual(await watch.stop(STOP_SIGNAL), { code: 0, signal: null });

  const bad = spawn(BIN, ['watch', '--root', join(root, 'missing')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  bad.stderr.setEncoding('utf8').on('data', (c) => { stderr += c; });
  const { code } = await withDeadline(new Promise((resolve) => bad.once('exit', (c) => resolve({ code: c }))), 'watch to fail');
  assert.equal(code, 1);
  assert.match(stderr, /not a directory/);
});
