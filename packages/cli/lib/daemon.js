// The shared half of every dev-server integration (contract C1): find the
// native binary, start or reuse `ng-annotate serve` for a project root, keep
// it alive while the dev server runs, stop it within a bound, and forward the
// dev server's /__annotate traffic to it. Node's own modules only.
//
// API (documented in ../README.md):
//   findBinary({binary, env})                      -> {file} | {error}
//   ensureDaemon({root, binary, origins, log, ...}) -> Promise<DaemonHandle>
//   createDaemon({...same})                         -> DaemonHandle (handle.ready: Promise)
//   forwardUpgrade(req, socket, head, handle, {allowedHosts})
//   forwardHttp(req, res, handle)                  -> Promise<void>
//   overlayTag()                                   -> '<script src="/__annotate/client.js"></script>'
//   isAnnotatePath(url), readDaemonFile(root), daemonFilePath(root), health(port, {challenge})
import { spawn } from 'node:child_process';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  accessSync, closeSync, constants, fstatSync, lstatSync, openSync, readSync, rmSync,
} from 'node:fs';
import { request } from 'node:http';
import { connect, isIP } from 'node:net';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PREFIX = '/__annotate';
export const CLIENT_PATH = `${PREFIX}/client.js`;

const START_TIMEOUT_MS = 15000; // a loaded machine (both cores busy) starts slowly
const HEALTH_TIMEOUT_MS = 5000; // generous: a live daemon mistaken for stale means two daemons
// Everything read from daemon.json or the daemon is bounded: a FIFO, a
// symlink to /dev/zero or a server that never stops talking must not hang
// or grow the dev server.
const MAX_DAEMON_FILE_BYTES = 64 * 1024; // the daemon writes ~300 bytes
const MAX_ANSWER_BYTES = 256 * 1024; // health is ~400 bytes; /origins lists the registered origins
const MAX_LINE_BYTES = 64 * 1024; // serve's listening line
const MAX_STDERR_KEPT = 8 * 1024; // for the error of a daemon that failed to start
const STOP_GRACE_MS = 2000; // SIGTERM, then SIGKILL
// Windows has no SIGTERM: there Node's kill() is TerminateProcess whatever the
// signal, so no grace period is waited for, and stop() removes daemon.json
// itself (as it does after a SIGKILL anywhere).
const GRACEFUL_STOP = process.platform !== 'win32';
const KILL_WAIT_MS = 1000; // after SIGKILL, stop() returns regardless
const RESTART_LIMIT = 5; // deaths within RESTART_WINDOW_MS before giving up
const RESTART_WINDOW_MS = 30000;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

// The platforms a binary is published for, as `${process.platform}-${process.arch}`:
// each is the npm package @ng-annotate/cli-<platform> (an optionalDependency
// of this one, with os/cpu fields, so npm installs only the matching one, as
// esbuild's packages do). scripts/dist.sh makes them from the same list.
export const PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'darwin-x64', 'win32-x64'];

/** The npm package that holds the binary for this machine ('@ng-annotate/cli-linux-x64'). */
export function platformPackage(platform = process.platform, arch = process.arch) {
  return `@ng-annotate/cli-${platform}-${arch}`;
}

/** What to do when no binary is found, naming this machine's platform. */
export function installHint(platform = process.platform, arch = process.arch) {
  const here = `${platform}-${arch}`;
  if (!PLATFORMS.includes(here)) {
    return `there is no ng-annotate build for ${here} (there are: ${PLATFORMS.join(', ')}): build it from source `
      + '(`make build` in the ng-annotate repository) and set NG_ANNOTATE_BIN=/path/to/ng-annotate, or put it on PATH';
  }
  return `install it with \`npm i -D @ng-annotate/cli\` (on ${here} that installs ${platformPackage(platform, arch)}, `
    + 'which holds the binary, unless optional dependencies are omitted; or the tarballs from `make dist`), '
    + 'set NG_ANNOTATE_BIN=/path/to/ng-annotate, or put ng-annotate on PATH';
}
export const INSTALL_HINT = installHint();

/** The script tag that loads the overlay from the dev server's own origin. */
export function overlayTag() {
  return `<script src="${CLIENT_PATH}"></script>`;
}

/** True for /__annotate and /__annotate/... (any query). */
// Asked of every request a dev server answers (a thousand per page load), so
// it compares in place instead of splitting off the query (issue 22: the
// split showed up in a CPU profile of a React warm start).
export function isAnnotatePath(url) {
  if (typeof url !== 'string' || !url.startsWith(PREFIX)) return false;
  const next = url[PREFIX.length];
  return next === undefined || next === '/' || next === '?';
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function binaryName(platform) {
  return platform === 'win32' ? 'ng-annotate.exe' : 'ng-annotate';
}

/**
 * The binary this package installed: the one in the platform package npm
 * picked for this machine (resolved from here, so hoisted or nested both
 * work), else one copied into ./native (a development copy of the package).
 * Null when neither is there.
 */
export function packagedBinary() {
  const name = binaryName(process.platform);
  try {
    const manifest = createRequire(import.meta.url).resolve(`${platformPackage()}/package.json`);
    const file = join(dirname(manifest), 'bin', name);
    if (isExecutable(file)) return file;
  } catch {
    // not installed: npm skipped it (another platform, --omit=optional) or it does not exist
  }
  const file = fileURLToPath(new URL(`../native/${name}`, import.meta.url));
  return isExecutable(file) ? file : null;
}

/**
 * The native binary: option `binary`, then NG_ANNOTATE_BIN, then the one
 * installed with this package (packagedBinary), then `ng-annotate` on PATH.
 * Returns {file} or {error} (a sentence saying what was wrong and how to
 * install it).
 */
export function findBinary({ binary, env = process.env, packaged = true } = {}) {
  if (binary) {
    const file = resolve(binary);
    return isExecutable(file) ? { file } : { error: `the "binary" option does not name an executable file: ${file}` };
  }
  if (env.NG_ANNOTATE_BIN) {
    const file = resolve(env.NG_ANNOTATE_BIN);
    return isExecutable(file) ? { file } : { error: `NG_ANNOTATE_BIN does not name an executable file: ${file}` };
  }
  const inPackage = packaged ? packagedBinary() : null;
  if (inPackage) return { file: inPackage };
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, binaryName(process.platform));
    if (isExecutable(file)) return { file };
  }
  return { error: `the ng-annotate binary was not found: ${INSTALL_HINT}` };
}

export function daemonFilePath(root) {
  return join(root, '.ng-annotate', 'daemon.json');
}

// The bytes of a regular file of at most `limit` bytes, or {refused: why}.
// lstat before opening, so a symlink (to /dev/zero, say) or a FIFO is never
// opened; O_NOFOLLOW | O_NONBLOCK and a matching fstat cover a swap in between
// (opening a FIFO non-blocking for reading returns at once).
function readSmallRegularFile(file, limit) {
  let before;
  try { before = lstatSync(file); } catch (error) { return { absent: error.code === 'ENOENT', refused: error.code }; }
  if (!before.isFile()) return { refused: 'not a regular file' };
  if (before.size > limit) return { refused: `larger than ${limit} bytes` };
  let fd;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return { absent: error.code === 'ENOENT', refused: error.code };
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile() || opened.ino !== before.ino || opened.dev !== before.dev) return { refused: 'not a regular file' };
    const buffer = Buffer.alloc(limit + 1); // one more byte tells a file that grew
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0;) length += n;
    if (length > limit) return { refused: `larger than ${limit} bytes` };
    return { bytes: buffer.subarray(0, length) };
  } catch (error) {
    return { refused: error.code ?? error.message };
  } finally {
    closeSync(fd);
  }
}

// daemon.json as {info}, {absent: true}, or {refused: why} (unsafe to read,
// or not what the daemon writes).
function inspectDaemonFile(root) {
  const read = readSmallRegularFile(daemonFilePath(root), MAX_DAEMON_FILE_BYTES);
  if (read.absent) return { absent: true };
  if (!read.bytes) return { refused: read.refused };
  let info = null;
  try { info = JSON.parse(read.bytes.toString('utf8')); } catch { /* below */ }
  const valid = Number.isInteger(info?.port) && info.port > 0 && info.port <= 65535 && Number.isInteger(info.pid);
  return valid ? { info } : { refused: 'no valid pid and port' };
}

/**
 * The parsed daemon.json of `root`, or null when absent, malformed, or not
 * a regular file of at most 64 KiB (never opened then: a FIFO or a symlink
 * to a device cannot hang or grow the caller).
 */
export function readDaemonFile(root) {
  return inspectDaemonFile(root).info ?? null;
}

// Removes daemon.json when it still names the daemon `info` described (a
// new daemon may have replaced it meanwhile).
function removeDaemonFileIf(root, info) {
  const now = readDaemonFile(root);
  if (now?.pid !== info.pid || now.token !== info.token) return;
  try { rmSync(daemonFilePath(root), { force: true }); } catch { /* replaced meanwhile */ }
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// A small JSON request to the daemon: {status, body} or null (unreachable,
// or an answer over MAX_ANSWER_BYTES or not complete within `timeout` ms in
// all: a server that trickles bytes must not hold the dev server either).
function daemonRequest(port, { method = 'GET', path, body, timeout = HEALTH_TIMEOUT_MS }) {
  return new Promise((done) => {
    let settled = false;
    const finish = (value) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      done(value);
    };
    const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
    const req = request({ host: '127.0.0.1', port, method, path, headers, timeout }, (res) => {
      const declared = Number(res.headers['content-length']);
      if (declared > MAX_ANSWER_BYTES) return abort();
      const chunks = [];
      let size = 0;
      res.on('data', (chunk) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) return abort();
        return chunks.push(chunk);
      });
      res.on('end', () => {
        let parsed = null;
        try { parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { /* not JSON */ }
        finish({ status: res.statusCode, body: parsed });
      });
      res.on('error', () => finish(null));
      return undefined;
    });
    const abort = () => { req.destroy(); finish(null); };
    const deadline = setTimeout(abort, timeout);
    req.on('timeout', abort);
    req.on('error', () => finish(null));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/**
 * GET /__annotate/health on 127.0.0.1:port -> the health object, or null.
 * With `challenge` (hex), a daemon adds "proof": HMAC-SHA-256 of it keyed
 * with its daemon.json token (see proofMatches).
 */
export async function health(port, { challenge } = {}) {
  const query = challenge ? `?challenge=${challenge}` : '';
  const answer = await daemonRequest(port, { path: `${PREFIX}/health${query}` });
  return answer?.status === 200 ? answer.body : null;
}

// Why a challenge and not the token itself (see also src/cli/daemon_file.h):
// until the proof is checked we do not know who answers on that port, so the
// secret must not be sent to it; and a daemon that printed its token to any
// asker would let another local user learn it and answer for the daemon once
// it is gone (a stale daemon.json, a reused pid, that user's server on the
// freed port, and its client.js in our pages). HMAC over a fresh random
// challenge proves the answerer can read daemon.json, which is 0600.
function proofMatches(token, challenge, proof) {
  if (typeof token !== 'string' || !token || typeof proof !== 'string') return false;
  const expected = Buffer.from(createHmac('sha256', token).update(challenge).digest('hex'));
  const given = Buffer.from(proof);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Whether two absolute paths name the same directory as the daemon prints
 * them: on Windows with either separator and in any case (NTFS and the
 * drive letter are case-insensitive), elsewhere byte for byte.
 */
export function samePath(a, b, platform = process.platform) {
  if (platform !== 'win32') return a === b;
  const norm = (path) => String(path).replace(/\\/g, '/').replace(/(.)\/+$/, '$1').toLowerCase();
  return norm(a) === norm(b);
}

// Why the server on info.port is not our daemon for `root`, or null when it
// proved it is.
async function disproveDaemon(root, info) {
  if (typeof info.token !== 'string' || !info.token) return 'daemon.json has no token (a daemon older than this module?)';
  const challenge = randomBytes(32).toString('hex');
  const live = await health(info.port, { challenge });
  if (!live) return 'no health answer within the bounds';
  if (!samePath(live.root, root)) return `it serves ${JSON.stringify(String(live.root))}`;
  if (!proofMatches(info.token, challenge, live.proof)) return 'it did not prove it holds the token of daemon.json';
  return null;
}

function toLogger(log) {
  const prefix = (message) => `[ng-annotate] ${message}`;
  if (typeof log === 'function') return { info: (m) => log(prefix(m)), warn: (m) => log(prefix(m)), error: (m) => log(prefix(m)) };
  const sink = log ?? console;
  return {
    info: (m) => (sink.info ?? sink.log).call(sink, prefix(m)),
    warn: (m) => (sink.warn ?? sink.info ?? sink.log).call(sink, prefix(m)),
    error: (m) => (sink.error ?? sink.log).call(sink, prefix(m)),
  };
}

// Spawns `serve`, resolves once its listening line is read:
// {port, url, pid, child, exited}. The child is registered with `track`
// before anything can fail, so stop() reaches a daemon still starting.
function spawnDaemon(binary, args, log, track) {
  return new Promise((done, fail) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
    track(child, exited);
    let stderr = '';
    let settled = false;
    let line = ''; // the first line of stdout, bounded
    let firstLineRead = false;
    const finish = (error, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        fail(error);
      } else {
        done(value);
      }
    };
    const timer = setTimeout(() => finish(new Error(
      `ng-annotate serve did not report listening within ${START_TIMEOUT_MS} ms${stderr ? `: ${stderr.trim()}` : ''}`)), START_TIMEOUT_MS);
    child.once('error', (error) => finish(new Error(`could not start ${binary}: ${error.message}`)));
    exited.then(({ code, signal }) => finish(new Error(
      `ng-annotate serve exited (${signal ?? code}) before listening${stderr ? `: ${stderr.trim()}` : ''}`)));
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      if (!settled) stderr = (stderr + chunk).slice(-MAX_STDERR_KEPT);
      for (const line of chunk.split('\n')) {
        const text = line.trim().replace(/^ng-annotate:\s*/, '');
        if (text) log.info(text);
      }
    });
    // Only the first line matters; the rest is drained unread.
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      if (firstLineRead) return;
      const end = chunk.indexOf('\n');
      line += end < 0 ? chunk : chunk.slice(0, end);
      if (end < 0 && line.length <= MAX_LINE_BYTES) return;
      firstLineRead = true;
      let event = null;
      try { event = JSON.parse(line); } catch { /* reported below */ }
      if (event?.event !== 'listening' || !Number.isInteger(event.port)) {
        finish(new Error(`unexpected first line from ng-annotate serve: ${line.slice(0, 200)}`));
        return;
      }
      finish(null, { port: event.port, url: event.url, pid: child.pid, child, exited });
    });
  });
}

// Resolves with the first of `promise` or `ms` elapsing ('timeout').
function within(promise, ms) {
  let timer;
  return Promise.race([promise, new Promise((done) => { timer = setTimeout(() => done('timeout'), ms); })])
    .finally(() => clearTimeout(timer));
}

/**
 * One project's daemon as seen by one dev server: reused when daemon.json
 * names a live daemon serving `root`, else started (`owned`). A daemon that
 * dies is replaced: at once when owned, on the next failed connection when
 * borrowed. stop() ends an owned daemon within a bound and never hangs.
 */
class DaemonHandle {
  constructor({ root, binary, origins, log, strictOrigins, args }) {
    this.root = root;
    this.binary = binary;
    this.origins = [...new Set(origins ?? [])];
    this.log = log;
    this.strictOrigins = strictOrigins;
    this.args = args;
    this.state = null; // {port, url, pid, owned, child?, exited?}
    this.pending = null; // the in-flight (re)connect
    this.stopping = null;
    this.children = new Set(); // every child we spawned and that has not exited
    this.deaths = [];
    this.onProcessExit = () => {
      for (const { child } of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    };
    process.on('exit', this.onProcessExit);
  }

  get port() { return this.state?.port ?? null; }
  get url() { return this.state?.url ?? null; }
  get pid() { return this.state?.pid ?? null; }
  get owned() { return Boolean(this.state?.owned); }

  /** The daemon to talk to now ({port, url, ...}); null once stopping. */
  async current() {
    if (this.stopping) return null;
    if (this.pending) return this.pending;
    return this.state;
  }

  /** Called after a refused connection: finds or starts a daemon again. */
  async refresh(failedPort) {
    if (this.stopping) return null;
    if (this.pending) return this.pending;
    if (this.state && this.state.port !== failedPort) return this.state; // already replaced
    return this.connect();
  }

  /** Registers more origins with the daemon (and with any replacement). */
  async addOrigins(origins) {
    const fresh = origins.filter((o) => !this.origins.includes(o));
    this.origins.push(...fresh);
    if (this.state) await this.register(this.state.port);
  }

  async register(port) {
    if (!this.origins.length) return;
    const answer = await daemonRequest(port, { method: 'POST', path: `${PREFIX}/origins`, body: { origins: this.origins } });
    if (answer?.status !== 200) {
      this.log.warn(`could not register ${this.origins.join(', ')} with the daemon on port ${port} `
        + `(${answer ? `HTTP ${answer.status}` : 'unreachable'}); pages there may be refused`);
    }
  }

  connect() {
    this.pending = (async () => {
      try {
        const reused = await this.reuse();
        this.state = reused ?? await this.start();
        return this.state;
      } finally {
        this.pending = null;
      }
    })();
    return this.pending;
  }

  // The daemon named by daemon.json if it proves it is ours for this root
  // (a live pid and a health answer are not enough: any server may answer
  // on that port); else null, having said in one log line why.
  async reuse() {
    const file = daemonFilePath(this.root);
    const found = inspectDaemonFile(this.root);
    if (found.absent) return null;
    if (!found.info) {
      // Left in place: it is not ours to delete, and our daemon replaces it.
      this.log.warn(`ignoring ${file} (${found.refused}); starting our own daemon`);
      return null;
    }
    const { info } = found;
    if (!pidAlive(info.pid)) {
      removeDaemonFileIf(this.root, info);
      this.log.info(`removed a stale ${file} (pid ${info.pid} is gone)`);
      return null;
    }
    const why = await disproveDaemon(this.root, info);
    if (why) {
      removeDaemonFileIf(this.root, info);
      this.log.warn(`not reusing the server on port ${info.port} named by ${file}: ${why}; starting our own daemon`);
      return null;
    }
    await this.register(info.port);
    this.log.info(`using the daemon already serving ${this.root} (pid ${info.pid}, port ${info.port})`);
    return { port: info.port, url: `http://127.0.0.1:${info.port}`, pid: info.pid, owned: false };
  }

  async start() {
    if (this.stopping) throw new Error('the daemon handle was stopped');
    const args = ['serve', '--root', this.root, '--port', '0'];
    if (this.strictOrigins) args.push('--strict-origins');
    for (const origin of this.origins) args.push('--allow-origin', origin);
    args.push(...this.args);
    const spawned = await spawnDaemon(this.binary, args, this.log, (child, exited) => {
      const entry = { child, exited };
      this.children.add(entry);
      exited.then(() => this.children.delete(entry));
    });
    const state = { ...spawned, owned: true };
    spawned.exited.then(({ code, signal }) => this.died(state, code, signal));
    this.log.info(`started the daemon for ${this.root} (pid ${spawned.pid}, port ${spawned.port})`);
    return state;
  }

  died(state, code, signal) {
    if (this.stopping || this.state !== state) return;
    const now = Date.now();
    this.deaths = [...this.deaths.filter((t) => now - t < RESTART_WINDOW_MS), now];
    if (this.deaths.length > RESTART_LIMIT) {
      this.log.error(`the daemon keeps exiting (${signal ?? code}); not restarting it again`);
      this.state = null;
      return;
    }
    this.log.warn(`the daemon exited (${signal ?? code}); starting a new one`);
    this.connect().catch((error) => this.log.error(error.message));
  }

  /**
   * Stops an owned daemon: SIGTERM, SIGKILL after a grace period (on
   * Windows at once: see GRACEFUL_STOP), and
   * returns within about STOP_GRACE_MS + KILL_WAIT_MS whatever happens. A
   * borrowed daemon is left running. Idempotent.
   */
  stop() {
    if (this.stopping) return this.stopping;
    this.stopping = (async () => {
      process.off('exit', this.onProcessExit);
      const entries = [...this.children];
      const first = GRACEFUL_STOP ? 'SIGTERM' : 'SIGKILL';
      for (const { child } of entries) if (child.exitCode === null && child.signalCode === null) child.kill(first);
      const all = Promise.all(entries.map((e) => e.exited));
      if (await within(all, GRACEFUL_STOP ? STOP_GRACE_MS : KILL_WAIT_MS) === 'timeout') {
        for (const { child } of entries) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        if (await within(all, KILL_WAIT_MS) === 'timeout') this.log.warn('the daemon did not exit after SIGKILL in time');
      }
      const pids = new Set(entries.map((e) => e.child.pid));
      const info = readDaemonFile(this.root);
      if (info && pids.has(info.pid)) removeDaemonFileIf(this.root, info);
    })();
    return this.stopping;
  }
}

/**
 * Starts or reuses the daemon for `root` (an absolute, real path). `origins`
 * are the dev server's page origins: passed as --allow-origin to a daemon we
 * start (with --strict-origins unless strictOrigins is false), registered
 * through POST /__annotate/origins with one we reuse. `log` is a console-like
 * object or a function of one string. Rejects when no daemon can be started.
 */
export async function ensureDaemon(options) {
  const handle = createDaemon(options);
  try {
    await handle.ready;
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}

/**
 * ensureDaemon without the wait: returns the handle at once, `handle.ready`
 * settling like ensureDaemon. For integrations that may have to stop() a
 * daemon that is still starting.
 */
export function createDaemon({ root, binary, origins = [], log, strictOrigins = true, args = [] }) {
  if (!root) throw new Error('ensureDaemon: root is required');
  let file = binary;
  if (!file) {
    const found = findBinary();
    if (found.error) throw new Error(found.error);
    file = found.file;
  }
  const handle = new DaemonHandle({ root, binary: file, origins, log: toLogger(log), strictOrigins, args });
  handle.ready = handle.connect();
  handle.ready.catch(() => {}); // reported to whoever awaits it
  return handle;
}

/**
 * Host check for what we forward (dev servers check their own requests, not
 * upgrades they do not handle): loopback names and IP literals (DNS
 * rebinding needs a name), plus `allowedHosts` (true, or names; ".x.com"
 * matches x.com and its subdomains).
 */
export function hostAllowed(hostHeader, allowedHosts) {
  if (!hostHeader) return false;
  if (allowedHosts === true) return true;
  let name;
  try { name = new URL(`http://${hostHeader}`).hostname.toLowerCase(); } catch { return false; }
  if (LOOPBACK.has(name) || isIP(name.replace(/^\[|\]$/g, ''))) return true;
  for (const entry of Array.isArray(allowedHosts) ? allowedHosts : []) {
    const e = String(entry).toLowerCase();
    if (e.startsWith('.') ? (name === e.slice(1) || name.endsWith(e)) : name === e) return true;
  }
  return false;
}

// Raw headers with Host naming the daemon (it checks Host against its own
// names; the forwarder checked the original). Everything else, Origin
// included, goes through as sent.
// HTTP/2 requests (an https dev server) carry pseudo-headers (":path",
// ":authority", ...), which have no place in HTTP/1.1: dropped.
function forwardedHeaders(rawHeaders, port) {
  const out = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.startsWith(':')) continue;
    out.push([name, name.toLowerCase() === 'host' ? `127.0.0.1:${port}` : rawHeaders[i + 1]]);
  }
  return out;
}

// The Host of an HTTP/1.1 request, or the :authority of an HTTP/2 one.
function requestHost(req) {
  return req.headers.host ?? req.headers[':authority'];
}

function rejectUpgrade(socket, status, text) {
  const body = `${text}\n`;
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function openTcp(port) {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.removeAllListeners('error'); done(s); });
    s.once('error', () => done(null));
  });
}

/**
 * Pipes a /__annotate upgrade to the daemon: the request line and headers as
 * received (Host rewritten), then both directions byte for byte. A refused
 * connection makes the handle find or start a daemon once more.
 */
export async function forwardUpgrade(req, socket, head, handle, { allowedHosts } = {}) {
  socket.on('error', () => socket.destroy());
  if (!hostAllowed(requestHost(req), allowedHosts)) return rejectUpgrade(socket, 403, 'Forbidden');
  let upstream = null;
  let target = await handle.current().catch(() => null);
  for (let attempt = 0; target && !upstream && attempt < 2; attempt += 1) {
    upstream = await openTcp(target.port);
    if (!upstream && attempt === 0) target = await handle.refresh(target.port).catch(() => null);
  }
  if (!upstream || socket.destroyed) {
    upstream?.destroy();
    if (!socket.destroyed) rejectUpgrade(socket, 502, 'Bad Gateway');
    return undefined;
  }
  const forget = () => { socket.destroy(); upstream.destroy(); };
  socket.once('close', forget);
  upstream.once('close', forget);
  upstream.on('error', forget);
  socket.setNoDelay(true);
  upstream.setNoDelay(true);
  let text = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
  for (const [name, value] of forwardedHeaders(req.rawHeaders, target.port)) text += `${name}: ${value}\r\n`;
  upstream.write(`${text}\r\n`);
  if (head?.length) upstream.write(head);
  socket.pipe(upstream);
  upstream.pipe(socket);
  return undefined;
}

/**
 * Forwards one HTTP request (a /__annotate/* or /mcp path) to the daemon and
 * streams the answer back. GET/HEAD refused by a dead daemon are retried once
 * on a replacement. Resolves when the answer has been handed to `res`.
 */
export async function forwardHttp(req, res, handle, { allowedHosts } = {}) {
  if (!hostAllowed(requestHost(req), allowedHosts)) {
    res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden\n');
    return;
  }
  const target = await handle.current().catch(() => null);
  if (!target) {
    res.writeHead(503, { 'Content-Type': 'text/plain' }).end('ng-annotate is not running: see the dev server log\n');
    return;
  }
  const replayable = req.method === 'GET' || req.method === 'HEAD';
  await new Promise((done) => {
    const send = (port, retry) => {
      const headers = {};
      for (const [name, value] of forwardedHeaders(req.rawHeaders, port)) {
        const key = name.toLowerCase();
        headers[key] = headers[key] === undefined ? value : [].concat(headers[key], value);
      }
      const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.originalUrl ?? req.url, headers }, (answer) => {
        const out = [];
        for (let i = 0; i < answer.rawHeaders.length; i += 2) {
          if (!HOP_BY_HOP.has(answer.rawHeaders[i].toLowerCase())) out.push(answer.rawHeaders[i], answer.rawHeaders[i + 1]);
        }
        if (req.httpVersionMajor >= 2) {
          // HTTP/2 has no status message and one value per header name.
          const headers = {};
          for (let i = 0; i < out.length; i += 2) {
            const key = out[i].toLowerCase();
            headers[key] = headers[key] === undefined ? out[i + 1] : [].concat(headers[key], out[i + 1]);
          }
          res.writeHead(answer.statusCode, headers);
        } else {
          res.writeHead(answer.statusCode, answer.statusMessage, out);
        }
        if (typeof res.flushHeaders === 'function') res.flushHeaders(); // SSE streams start at once
        answer.pipe(res);
        done();
      });
      upstream.on('error', async (error) => {
        if (error.code === 'ECONNREFUSED' && !res.headersSent) {
          // The daemon is gone: find or start another (a body already sent
          // cannot be replayed, so only GET/HEAD are retried on it).
          const again = await handle.refresh(port).catch(() => null);
          if (again && retry) return send(again.port, false);
        }
        if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`ng-annotate daemon unreachable: ${error.message}\n`);
        else res.destroy(error);
        return done();
      });
      res.on('close', () => { if (!res.writableFinished) upstream.destroy(); });
      if (replayable) upstream.end();
      else req.pipe(upstream);
    };
    send(target.port, replayable);
  });
}
