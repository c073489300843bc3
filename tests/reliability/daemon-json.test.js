// Issue 21 item 3, the red team's cases against packages/cli/lib/daemon.js:
// daemon.json as a FIFO hung the dev server at start, as a symlink to
// /dev/zero (or a huge file) grew it by gigabytes, an endless health body
// crashed it, a trickling one held it forever, and any server on the named
// port that echoed the root was trusted (its client.js served into pages).
// Each case runs ensureDaemon in a child process bounded in time and memory,
// so a hang or a blow-up is a failure, not a stuck run; each must end with
// our own daemon started and one line in the log saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync, mkdirSync, openSync, readFileSync, readdirSync, realpathSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BIN, tempRoot } from '../integration/lib/cli.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../..');
const DAEMON_MODULE = pathToFileURL(join(repo, 'packages/cli/lib/daemon.js')).href;
const binary = realpathSync(BIN);
const CHILD_TIMEOUT_MS = 45000; // a 5 s health bound + a daemon start on a loaded machine
const CHILD_MAX_RSS_MB = 300; // node itself needs ~50 MB; the old code went to gigabytes

// The dev server's side, alone in a process: ensureDaemon, then stop().
const CHILD = `
const { ensureDaemon } = await import(process.env.DAEMON_MODULE);
const logs = [];
const handle = await ensureDaemon({ root: process.env.ROOT, binary: process.env.BIN, log: (m) => logs.push(m) });
const out = { owned: handle.owned, port: handle.port, pid: handle.pid, logs };
await handle.stop();
out.maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify(out));
`;

function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

// Runs CHILD for `root`: {code, signal, out, stderr, killed} where killed says
// why the watchdog ended it (too slow, too big), if it did.
function ensureDaemonInChild(root) {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
      env: { ...process.env, DAEMON_MODULE, ROOT: root, BIN: binary }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killed = null;
    child.stdout.setEncoding('utf8').on('data', (c) => { stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (c) => { stderr = (stderr + c).slice(-4000); });
    const kill = (why) => { if (!killed) { killed = why; child.kill('SIGKILL'); } };
    const timer = setTimeout(() => kill(`no answer within ${CHILD_TIMEOUT_MS} ms`), CHILD_TIMEOUT_MS);
    const watch = setInterval(() => {
      const rss = rssMb(child.pid);
      if (rss > CHILD_MAX_RSS_MB) kill(`grew to ${Math.round(rss)} MB`);
    }, 50);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      let out = null;
      try { out = JSON.parse(stdout); } catch { /* reported by the caller */ }
      done({ code, signal, out, stderr, killed });
    });
  });
}

// Every ng-annotate serve process whose command line names root: none may
// outlive a test, whatever the code under test did.
function killDaemonsOf(root) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.includes(root) && cmdline.includes('serve')) process.kill(Number(entry), 'SIGKILL');
    } catch { /* gone */ }
  }
}

function projectRoot(t) {
  const root = realpathSync(tempRoot(t));
  t.after(() => killDaemonsOf(root));
  mkdirSync(join(root, '.ng-annotate'), { recursive: true });
  return root;
}

const daemonFile = (root) => join(root, '.ng-annotate', 'daemon.json');

// daemon.json as a crashed daemon of ours would have left it, naming `port`
// and a pid that is alive (this test runner: what a reused pid looks like).
function writeStaleDaemonFile(root, port) {
  const token = randomBytes(32).toString('hex');
  writeFileSync(daemonFile(root), JSON.stringify({
    pid: process.pid, port, url: `http://127.0.0.1:${port}`, root, version: '0.1.0', startedAt: new Date().toISOString(), token,
  }));
  return token;
}

// A server on 127.0.0.1 answering every request with `answer(req, res)`;
// records what it was sent. Closed (connections too) after the test.
async function foreignServer(t, answer) {
  const seen = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url });
    answer(req, res);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  t.after(() => new Promise((done) => { server.closeAllConnections(); server.close(done); }));
  return { port: server.address().port, seen };
}

// What every case must end with: our own daemon, started after one log line
// matching `why`, the child bounded and small.
function assertStartedOwn(result, why, { notPort } = {}) {
  assert.equal(result.killed, null, `ensureDaemon was killed: ${result.killed}\n${result.stderr}`);
  assert.equal(result.code, 0, result.stderr);
  assert.ok(result.out, `no result: ${result.stderr}`);
  const { owned, port, logs, maxRssMb } = result.out;
  assert.equal(owned, true, `reused the server on port ${port}: ${logs.join('\n')}`);
  if (notPort) assert.notEqual(port, notPort);
  assert.equal(logs.filter((m) => why.test(m)).length, 1, logs.join('\n'));
  assert.ok(logs.some((m) => /started the daemon/.test(m)), logs.join('\n'));
  assert.ok(maxRssMb < CHILD_MAX_RSS_MB, `peak RSS ${maxRssMb} MB`);
}

test('a FIFO daemon.json is never opened for reading: no hang, our own daemon starts', async (t) => {
  const root = projectRoot(t);
  execFileSync('mkfifo', [daemonFile(root)]);
  assertStartedOwn(await ensureDaemonInChild(root), /ignoring .*daemon\.json \(not a regular file\)/);
});

test('daemon.json as a symlink to /dev/zero is never read', async (t) => {
  const root = projectRoot(t);
  symlinkSync('/dev/zero', daemonFile(root));
  assertStartedOwn(await ensureDaemonInChild(root), /ignoring .*daemon\.json \(not a regular file\)/);
});

test('a daemon.json over 64 KiB is refused unread', async (t) => {
  const root = projectRoot(t);
  const fd = openSync(daemonFile(root), 'w');
  execFileSync('truncate', ['-s', '1G', daemonFile(root)]); // sparse: no disk, but 1 GiB to read
  closeSync(fd);
  assertStartedOwn(await ensureDaemonInChild(root), /ignoring .*daemon\.json \(larger than 65536 bytes\)/);
});

test('a health answer with an endless body is cut off at a bound', async (t) => {
  const root = projectRoot(t);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const { port } = await foreignServer(t, (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(`{"root":${JSON.stringify(root)},"x":"`);
    const pump = () => { while (!res.destroyed && res.write(chunk)); };
    res.on('drain', pump);
    pump();
  });
  writeStaleDaemonFile(root, port);
  assertStartedOwn(await ensureDaemonInChild(root), /not reusing the server on port \d+ .*no health answer/, { notPort: port });
});

test('a health answer that trickles forever is given up within a bound', async (t) => {
  const root = projectRoot(t);
  const { port } = await foreignServer(t, (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(`{"root":${JSON.stringify(root)}`);
    const drip = setInterval(() => res.write(' '), 500); // never idle long enough to time out
    res.on('close', () => clearInterval(drip));
  });
  writeStaleDaemonFile(root, port);
  assertStartedOwn(await ensureDaemonInChild(root), /not reusing the server on port \d+ .*no health answer/, { notPort: port });
});

test('a health that never answers at all is given up within a bound', async (t) => {
  const root = projectRoot(t);
  const { port } = await foreignServer(t, () => {});
  writeStaleDaemonFile(root, port);
  assertStartedOwn(await ensureDaemonInChild(root), /not reusing the server on port \d+ .*no health answer/, { notPort: port });
});

test('a foreign server that echoes the root (and the challenge) but has no proof is not trusted', async (t) => {
  const root = projectRoot(t);
  const { port, seen } = await foreignServer(t, (req, res) => {
    const challenge = new URL(req.url, 'http://x').searchParams.get('challenge');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ version: '0.1.0', root, store: join(root, '.ng-annotate/store.db'), proof: challenge }));
  });
  const token = writeStaleDaemonFile(root, port);
  assertStartedOwn(await ensureDaemonInChild(root), /not reusing the server on port \d+ .*did not prove/, { notPort: port });
  assert.ok(seen.length > 0, 'health was asked');
  assert.ok(seen.every((r) => r.method === 'GET' && !r.url.includes(token)), JSON.stringify(seen));
});
