// @ng-annotate/cli (packages/cli): the npx shim and the shared daemon module
// of contract C1, against the real binary. The "dev server" here is a plain
// node:http server wired the way every integration wires it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  INSTALL_HINT, createDaemon, ensureDaemon, findBinary, forwardHttp, forwardUpgrade, health, installHint, isAnnotatePath,
  overlayTag, samePath,
  readDaemonFile,
} from '../../packages/cli/lib/daemon.js';
import { BIN, tempRoot } from './lib/cli.js';
import { connectHttp } from './lib/mcp-http.js';
import { Client, rawRequest, withDeadline } from './lib/serve.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../..');
const SHIM = join(repo, 'packages/cli/bin/ng-annotate.js');
const binary = realpathSync(BIN);
const quiet = () => {};

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

// Every ng-annotate process whose command line names root.
function processesFor(root) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.includes(root) && cmdline.includes('serve')) pids.push(Number(entry));
    } catch { /* gone */ }
  }
  return pids;
}

function daemonFor(t, root, options = {}) {
  return ensureDaemon({ root, binary, log: quiet, ...options }).then((handle) => {
    t.after(() => handle.stop());
    return handle;
  });
}

test('findBinary: option, then NG_ANNOTATE_BIN, then PATH; a miss says how to install', (t) => {
  const dir = realpathSync(tempRoot(t));
  const onPath = join(dir, 'ng-annotate');
  writeFileSync(onPath, '#!/bin/sh\n');
  chmodSync(onPath, 0o755);
  assert.deepEqual(findBinary({ binary, env: { NG_ANNOTATE_BIN: onPath } }), { file: binary });
  assert.deepEqual(findBinary({ env: { NG_ANNOTATE_BIN: binary, PATH: dir } }), { file: binary });
  assert.deepEqual(findBinary({ env: { PATH: `/nonexistent:${dir}` }, packaged: false }), { file: onPath });
  assert.match(findBinary({ binary: join(dir, 'nope') }).error, /"binary" option .*nope$/);
  assert.match(findBinary({ env: { NG_ANNOTATE_BIN: join(dir, 'nope') } }).error, /NG_ANNOTATE_BIN/);
  const miss = findBinary({ env: { PATH: '/nonexistent' }, packaged: false });
  assert.ok(miss.error.endsWith(INSTALL_HINT), miss.error);
  assert.match(miss.error, /npm i -D @ng-annotate\/cli/);
  assert.equal(overlayTag(), '<script src="/__annotate/client.js"></script>');
  assert.ok(isAnnotatePath('/__annotate?sessionId=1') && isAnnotatePath('/__annotate/health'));
  assert.ok(!isAnnotatePath('/__annotatex') && !isAnnotatePath('/'));
  for (const url of ['/__annotate', '/__annotate/', '/__annotate/client.js?v=1']) assert.ok(isAnnotatePath(url), url);
  for (const url of ['/x/__annotate', '/__annotate-x/y', '/__Annotate', '', undefined, null]) assert.ok(!isAnnotatePath(url), String(url));
});

test('a miss names the platform package for this platform, or says there is no build for it', () => {
  assert.match(installHint('darwin', 'arm64'), /on darwin-arm64 that installs @ng-annotate\/cli-darwin-arm64/);
  assert.match(installHint('win32', 'x64'), /on win32-x64 that installs @ng-annotate\/cli-win32-x64/);
  assert.match(installHint('freebsd', 'x64'), /no ng-annotate build for freebsd-x64 .*set NG_ANNOTATE_BIN/);
  assert.equal(INSTALL_HINT, installHint(process.platform, process.arch));
});

test('samePath: on Windows either separator and any case name one root; elsewhere byte for byte', () => {
  assert.ok(samePath('C:\\Users\\dev\\app', 'c:/users/dev/app/', 'win32'));
  assert.ok(!samePath('C:\\Users\\dev\\app', 'C:/Users/dev/app2', 'win32'));
  assert.ok(samePath('/home/dev/app', '/home/dev/app', 'linux'));
  assert.ok(!samePath('/home/dev/App', '/home/dev/app', 'linux'));
});

test('the npx shim runs the binary with the arguments, output and exit status', () => {
  const env = { ...process.env, NG_ANNOTATE_BIN: binary };
  const version = spawnSync(process.execPath, [SHIM, '--version'], { encoding: 'utf8', env, timeout: 30000 });
  assert.equal(version.status, 0);
  assert.match(version.stdout, /^ng-annotate \d+\.\d+\.\d+/);
  const usage = spawnSync(process.execPath, [SHIM, 'no-such-command'], { encoding: 'utf8', env, timeout: 30000 });
  assert.equal(usage.status, 2, usage.stderr);
  const missing = spawnSync(process.execPath, [SHIM, '--version'],
    { encoding: 'utf8', env: { PATH: '/nonexistent', NG_ANNOTATE_BIN: '/nonexistent/ng-annotate' }, timeout: 30000 });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /NG_ANNOTATE_BIN does not name an executable file/);
});

test('ensureDaemon starts one daemon per root, a second caller reuses it and registers its origins', async (t) => {
  const root = realpathSync(tempRoot(t));
  const a = await daemonFor(t, root, { origins: ['http://localhost:5173'] });
  assert.equal(a.owned, true);
  assert.equal(readDaemonFile(root).pid, a.pid);
  assert.equal(a.url, `http://127.0.0.1:${a.port}`);
  const b = await daemonFor(t, root, { origins: ['http://localhost:5174'] });
  assert.equal(b.owned, false);
  assert.equal(b.port, a.port);

  // --strict-origins: both registered origins pass, another loopback one does not.
  const ws = `ws://127.0.0.1:${a.port}/__annotate`;
  for (const origin of ['http://localhost:5173', 'http://localhost:5174']) {
    const client = await Client.connect(ws, { headers: { Origin: origin } });
    assert.equal((await client.handshake()).first.type, 'session:created');
    await client.close();
  }
  await assert.rejects(Client.connect(ws, { headers: { Origin: 'http://localhost:5175' } }), (e) => e.statusCode === 403);

  await b.stop();
  assert.ok(alive(a.pid), 'a borrower leaves the daemon running');
  const pid = a.pid;
  await a.stop();
  assert.equal(alive(pid), false);
  assert.equal(readDaemonFile(root), null);
});

test('serve proves it holds the token of its 0600 daemon.json; a daemon without the proof is not reused', async (t) => {
  const root = realpathSync(tempRoot(t));
  const a = await daemonFor(t, root);
  const file = join(root, '.ng-annotate', 'daemon.json');
  assert.equal(statSync(file).mode & 0o777, 0o600, 'only its user may read the token');
  const { token } = readDaemonFile(root);
  assert.match(token, /^[0-9a-f]{64}$/);
  const challenge = randomBytes(32).toString('hex');
  assert.equal((await health(a.port, { challenge })).proof, createHmac('sha256', token).update(challenge).digest('hex'));
  assert.equal((await health(a.port)).proof, undefined, 'no proof unasked');
  assert.equal((await rawRequest(a.port, { path: '/__annotate/health?challenge=xyz' })).status, 400);

  // daemon.json names a's pid and port but another token: a cannot prove it,
  // so a second dev server starts its own daemon instead of borrowing a.
  writeFileSync(file, JSON.stringify({ ...readDaemonFile(root), token: 'f'.repeat(64) }));
  const logs = [];
  const b = await daemonFor(t, root, { log: (m) => logs.push(m) });
  assert.equal(b.owned, true);
  assert.notEqual(b.pid, a.pid);
  assert.equal(logs.filter((m) => /did not prove it holds the token/.test(m)).length, 1, logs.join('\n'));
});

test('stop() is bounded when the daemon does not answer SIGTERM (SIGKILL after the grace period)', async (t) => {
  const root = realpathSync(tempRoot(t));
  const handle = await daemonFor(t, root);
  const { pid } = handle;
  t.after(() => { if (alive(pid)) process.kill(pid, 'SIGKILL'); });
  process.kill(pid, 'SIGSTOP'); // a stopped process acts on SIGTERM only once continued
  await withDeadline(handle.stop(), 'stop() of a stuck daemon', 10000);
  assert.equal(alive(pid), false);
  assert.equal(readDaemonFile(root), null, 'the killed daemon could not remove its file; stop() did');
});

// Windows has no SIGTERM (Node's kill() is TerminateProcess there): run as if
// on win32, stop() kills at once and removes daemon.json itself, where on
// Linux the daemon exits on SIGTERM and removes it.
test('stop() on Windows kills without SIGTERM and removes daemon.json itself', async (t) => {
  const root = realpathSync(tempRoot(t));
  const script = `
    Object.defineProperty(process, 'platform', { value: 'win32' });
    const { ensureDaemon, readDaemonFile } = await import(${JSON.stringify(join(repo, 'packages/cli/lib/daemon.js'))});
    const [root, binary] = process.argv.slice(1);
    const handle = await ensureDaemon({ root, binary, log: () => {} });
    const [{ exited }] = [...handle.children];
    const before = readDaemonFile(root)?.pid === handle.pid;
    await handle.stop();
    const { code, signal } = await exited;
    console.log(JSON.stringify({ before, code, signal, after: readDaemonFile(root) }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, root, binary], { encoding: 'utf8', timeout: 60000 });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { before: true, code: null, signal: 'SIGKILL', after: null });
  assert.deepEqual(processesFor(root), []);
});

test('stop() while the daemon is still starting leaves no process behind', async (t) => {
  const root = realpathSync(tempRoot(t));
  t.after(() => { for (const pid of processesFor(root)) process.kill(pid, 'SIGKILL'); });
  const handle = createDaemon({ root, binary, log: quiet });
  await withDeadline(handle.stop(), 'stop() during start', 10000);
  await assert.rejects(handle.ready);
  assert.deepEqual(processesFor(root), []);
  assert.equal(readDaemonFile(root), null);
});

test('a stale daemon.json is replaced; a daemon that dies is restarted', async (t) => {
  const root = realpathSync(tempRoot(t));
  mkdirSync(join(root, '.ng-annotate'), { recursive: true });
  writeFileSync(join(root, '.ng-annotate', 'daemon.json'), '{"pid":999999999,"port":1}');
  const logs = [];
  const handle = await daemonFor(t, root, { log: (m) => logs.push(m) });
  assert.equal(handle.owned, true);
  assert.ok(logs.some((m) => /stale/.test(m)), logs.join('\n'));
  const first = handle.pid;
  process.kill(first, 'SIGKILL');
  const replaced = await withDeadline((async () => {
    for (;;) {
      const now = await handle.current();
      if (now && now.pid !== first) return now;
      await new Promise((r) => setTimeout(r, 20));
    }
  })(), 'a replacement daemon', 15000);
  assert.ok(alive(replaced.pid));
  assert.equal(readDaemonFile(root).pid, replaced.pid);
  t.after(() => { if (alive(replaced.pid)) process.kill(replaced.pid, 'SIGKILL'); });
});

test('forwardHttp and forwardUpgrade carry /__annotate and /mcp through another server', async (t) => {
  const root = realpathSync(tempRoot(t));
  const handle = await daemonFor(t, root);
  const dev = createServer((req, res) => {
    const path = req.url.split('?')[0];
    if (isAnnotatePath(req.url) || path === '/mcp') forwardHttp(req, res, handle);
    else res.end('the app\n');
  });
  dev.on('upgrade', (req, socket, head) => { if (isAnnotatePath(req.url)) forwardUpgrade(req, socket, head, handle); });
  await new Promise((done) => dev.listen(0, '127.0.0.1', done));
  t.after(() => new Promise((done) => { dev.closeAllConnections(); dev.close(done); }));
  const { port } = dev.address();
  await handle.addOrigins([`http://127.0.0.1:${port}`]);

  assert.equal((await rawRequest(port, { path: '/' })).body, 'the app\n');
  const health = JSON.parse((await rawRequest(port, { path: '/__annotate/health' })).body);
  assert.equal(health.root, root);
  assert.equal((await rawRequest(port, { path: '/__annotate/health', headers: { Host: 'evil.example' } })).status, 403);

  const client = await Client.connect(`ws://127.0.0.1:${port}/__annotate`, { headers: { Origin: `http://127.0.0.1:${port}` } });
  t.after(() => client.close());
  assert.equal((await client.handshake()).first.type, 'session:created');
  await assert.rejects(Client.connect(`ws://127.0.0.1:${port}/__annotate`, { headers: { Host: 'evil.example' } }),
    (e) => e.statusCode === 403);

  const { client: agent } = await connectHttp(t, port);
  const { tools } = await agent.listTools();
  assert.ok(tools.some((tool) => tool.name === 'watch_annotations'));
});
