// @ng-annotate/vite-plugin: a thin bridge between Vite's dev server and the
// `ng-annotate serve` daemon. It starts (or reuses) the daemon for the Vite
// root, forwards /__annotate HTTP requests and WebSocket upgrades to it, and
// adds the overlay's script tag to the page. Dev server only; no dependencies
// besides Node's built-ins.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const PREFIX = '/__annotate';
const SCRIPT_SRC = `${PREFIX}/client.js`;
const START_TIMEOUT_MS = 10000;
const HEALTH_TIMEOUT_MS = 1000;
const STOP_TIMEOUT_MS = 5000;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// The binary: option `binary`, then NG_ANNOTATE_BIN, then `ng-annotate` on PATH.
// Returns {file} or {error}.
export function findBinary(option, env = process.env) {
  if (option) {
    const file = resolve(option);
    return isExecutable(file) ? { file } : { error: `the binary given by the "binary" option is not an executable file: ${file}` };
  }
  if (env.NG_ANNOTATE_BIN) {
    const file = resolve(env.NG_ANNOTATE_BIN);
    return isExecutable(file) ? { file } : { error: `NG_ANNOTATE_BIN is not an executable file: ${file}` };
  }
  const names = process.platform === 'win32' ? ['ng-annotate.exe', 'ng-annotate'] : ['ng-annotate'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const file = join(dir, name);
      if (isExecutable(file)) return { file };
    }
  }
  return {
    error: 'the ng-annotate binary was not found: install it on PATH, set NG_ANNOTATE_BIN, '
      + 'or pass ngAnnotate({ binary: "/path/to/ng-annotate" })',
  };
}

// GET http://127.0.0.1:port/__annotate/health -> parsed JSON, or null.
function health(port) {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path: `${PREFIX}/health`, timeout: HEALTH_TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => { body += chunk; });
      res.on('end', () => {
        try { done(res.statusCode === 200 ? JSON.parse(body) : null); } catch { done(null); }
      });
      res.on('error', () => done(null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(null));
    req.end();
  });
}

function readState(file) {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8'));
    return Number.isInteger(state?.port) && state.port > 0 ? state : null;
  } catch {
    return null;
  }
}

function writeState(file, state) {
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(state)}\n`);
    renameSync(tmp, file);
  } catch {
    // Only an optimisation (reuse by the next Vite): never fatal.
  }
}

// Spawns `serve --root <root> --port 0` and resolves once its listening line
// is read: {port, pid, child, exited}.
function startDaemon(binary, root, extraArgs, logger) {
  return new Promise((done, fail) => {
    const args = ['serve', '--root', root, '--port', '0', ...extraArgs];
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let settled = false;
    const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
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
    const timer = setTimeout(() => finish(new Error(`ng-annotate serve did not report listening within ${START_TIMEOUT_MS} ms${stderr ? `: ${stderr.trim()}` : ''}`)), START_TIMEOUT_MS);
    child.once('error', (error) => finish(new Error(`could not start ${binary}: ${error.message}`)));
    exited.then(({ code, signal }) => finish(new Error(`ng-annotate serve exited (${signal ?? code}) before listening${stderr ? `: ${stderr.trim()}` : ''}`)));
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      if (!settled) stderr += chunk;
      for (const line of chunk.split('\n')) {
        const text = line.trim().replace(/^ng-annotate:\s*/, '');
        if (text) logger.info(`[ng-annotate] ${text}`, { timestamp: true });
      }
    });
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      let event;
      try { event = JSON.parse(line); } catch { /* reported below */ }
      if (event?.event !== 'listening' || !Number.isInteger(event.port)) {
        finish(new Error(`unexpected first line from ng-annotate serve: ${line}`));
        return;
      }
      lines.on('line', () => {}); // keep stdout drained
      finish(null, { port: event.port, pid: child.pid, root: event.root, child, exited });
    });
  });
}

// Host check for the upgrades we forward (Vite only checks HTTP requests and
// its own HMR socket): loopback names, IP literals, server.host, allowedHosts.
function hostAllowed(hostHeader, serverConfig) {
  if (!hostHeader) return false;
  const allowed = serverConfig?.allowedHosts;
  if (allowed === true) return true;
  let name;
  try { name = new URL(`http://${hostHeader}`).hostname.toLowerCase(); } catch { return false; }
  if (LOOPBACK.has(name)) return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.startsWith('[')) return true;
  if (typeof serverConfig?.host === 'string' && serverConfig.host.toLowerCase() === name) return true;
  for (const entry of Array.isArray(allowed) ? allowed : []) {
    const e = String(entry).toLowerCase();
    if (e.startsWith('.') ? (name === e.slice(1) || name.endsWith(e)) : name === e) return true;
  }
  return false;
}

// The headers forwarded to the daemon: Host becomes the daemon's own. The
// Origin is kept, so the daemon judges it (loopback origins and --allow-origin
// pass) — except when it is the page's own origin (the Vite address), which
// only this hop can see: it becomes the daemon's own origin, the daemon's
// same-origin rule giving the same verdict it would give with Vite's Host.
function forwardedHeaders(rawHeaders, port) {
  const out = [];
  let host;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === 'host') host = rawHeaders[i + 1];
  }
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    let value = rawHeaders[i + 1];
    const lower = name.toLowerCase();
    if (lower === 'host') value = `127.0.0.1:${port}`;
    if (lower === 'origin' && host) {
      try {
        const origin = new URL(value);
        if (origin.host.toLowerCase() === host.toLowerCase() && /^https?:$/.test(origin.protocol)) {
          const hostname = origin.hostname.toLowerCase();
          if (!LOOPBACK.has(hostname)) value = `http://127.0.0.1:${port}`;
        }
      } catch { /* the daemon rejects it */ }
    }
    out.push([name, value]);
  }
  return out;
}

function isOurPath(url) {
  const path = (url ?? '').split('?')[0];
  return path === PREFIX || path.startsWith(`${PREFIX}/`);
}

function rejectUpgrade(socket, status, text) {
  const body = `${text}\n`;
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export default function ngAnnotate(options = {}) {
  let config;
  let logger = console;
  let daemon = null; // Promise<{port, pid, child?}|null>
  let started = null; // what we spawned: {pid, child, exited}
  let stopping = null;
  let root;
  let stateFile;
  const sockets = new Set();

  const onProcessExit = () => {
    if (started?.child && started.child.exitCode === null && started.child.signalCode === null) {
      started.child.kill('SIGTERM');
    }
  };

  async function ensureDaemon() {
    const found = findBinary(options.binary);
    if (found.error) {
      logger.error(`[ng-annotate] ${found.error}. The overlay is disabled; the dev server runs on.`);
      return null;
    }
    const previous = readState(stateFile);
    if (previous) {
      const info = await health(previous.port);
      if (info && info.root === root) return { port: previous.port, pid: previous.pid, reused: true };
    }
    const extra = [];
    for (const origin of [options.allowOrigin ?? []].flat()) extra.push('--allow-origin', origin);
    try {
      const spawned = await startDaemon(found.file, root, extra, logger);
      started = spawned;
      process.once('exit', onProcessExit);
      writeState(stateFile, { pid: spawned.pid, port: spawned.port, root });
      spawned.exited.then(({ code, signal }) => {
        if (!stopping) logger.error(`[ng-annotate] the daemon exited unexpectedly (${signal ?? code})`);
      });
      return { port: spawned.port, pid: spawned.pid, reused: false };
    } catch (error) {
      logger.error(`[ng-annotate] ${error.message}. The overlay is disabled; the dev server runs on.`);
      return null;
    }
  }

  // The daemon to talk to; starts over when a reused one has gone away.
  async function target(refresh = false) {
    if (stopping) return null;
    if (!daemon || refresh) daemon = ensureDaemon();
    return daemon;
  }

  function stop() {
    if (stopping) return stopping;
    stopping = (async () => {
      for (const socket of sockets) socket.destroy();
      // A daemon still starting is waited for, so it is stopped too, not leaked.
      await daemon?.catch(() => null);
      process.off('exit', onProcessExit);
      const child = started?.child;
      if (!child) return;
      if (readState(stateFile)?.pid === child.pid) rmSync(stateFile, { force: true });
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      let timer;
      const timeout = new Promise((done) => { timer = setTimeout(() => done('timeout'), STOP_TIMEOUT_MS); });
      if (await Promise.race([started.exited, timeout]) === 'timeout') {
        child.kill('SIGKILL');
        await started.exited;
      }
      clearTimeout(timer);
    })();
    return stopping;
  }

  // Opens a TCP connection to the daemon, starting a new one once if a reused
  // daemon no longer answers.
  async function connectDaemon() {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const current = await target(attempt > 0);
      if (!current) return null;
      const upstream = await new Promise((done) => {
        const s = connect(current.port, '127.0.0.1');
        s.once('connect', () => { s.removeAllListeners('error'); done(s); });
        s.once('error', () => done(null));
      });
      if (upstream) return { upstream, port: current.port };
      if (!current.reused) return null;
    }
    return null;
  }

  async function forwardUpgrade(req, socket, head) {
    socket.on('error', () => socket.destroy());
    if (!hostAllowed(req.headers.host, config?.server)) {
      rejectUpgrade(socket, 403, 'Forbidden');
      return;
    }
    const link = await connectDaemon();
    if (!link || socket.destroyed) {
      link?.upstream.destroy();
      if (!socket.destroyed) rejectUpgrade(socket, 502, 'Bad Gateway');
      return;
    }
    const { upstream, port } = link;
    sockets.add(socket);
    sockets.add(upstream);
    const forget = () => {
      sockets.delete(socket);
      sockets.delete(upstream);
      socket.destroy();
      upstream.destroy();
    };
    socket.once('close', forget);
    upstream.once('close', forget);
    upstream.on('error', forget);
    socket.setNoDelay(true);
    upstream.setNoDelay(true);
    let text = `${req.method} ${req.url} HTTP/1.1\r\n`;
    for (const [name, value] of forwardedHeaders(req.rawHeaders, port)) text += `${name}: ${value}\r\n`;
    upstream.write(`${text}\r\n`);
    if (head?.length) upstream.write(head);
    socket.pipe(upstream);
    upstream.pipe(socket);
  }

  async function forwardHttp(req, res, next) {
    if (!isOurPath(req.originalUrl ?? req.url)) return next();
    const current = await target();
    if (!current) {
      res.statusCode = 503;
      res.setHeader('Content-Type', 'text/plain');
      res.end('ng-annotate is not running: see the dev server log\n');
      return;
    }
    const send = (port, retry) => {
      const headers = {};
      for (const [name, value] of forwardedHeaders(req.rawHeaders, port)) {
        const key = name.toLowerCase();
        headers[key] = headers[key] === undefined ? value : [].concat(headers[key], value);
      }
      const upstream = request({
        host: '127.0.0.1', port, method: req.method, path: req.originalUrl ?? req.url, headers,
      }, (answer) => {
        const headers = [];
        for (let i = 0; i < answer.rawHeaders.length; i += 2) {
          if (!HOP_BY_HOP.has(answer.rawHeaders[i].toLowerCase())) headers.push(answer.rawHeaders[i], answer.rawHeaders[i + 1]);
        }
        res.writeHead(answer.statusCode, answer.statusMessage, headers);
        answer.pipe(res);
      });
      upstream.on('error', async (error) => {
        if (retry && error.code === 'ECONNREFUSED' && !res.headersSent) {
          const again = await target(true);
          if (again) return send(again.port, false);
        }
        if (!res.headersSent) {
          res.statusCode = 502;
          res.setHeader('Content-Type', 'text/plain');
          res.end(`ng-annotate daemon unreachable: ${error.message}\n`);
        } else {
          res.destroy(error);
        }
      });
      res.on('close', () => { if (!res.writableFinished) upstream.destroy(); });
      if (req.method === 'GET' || req.method === 'HEAD') upstream.end();
      else req.pipe(upstream);
    };
    // Retried against a fresh daemon only when nothing of the body was read.
    send(current.port, current.reused && (req.method === 'GET' || req.method === 'HEAD'));
  }

  return {
    name: 'ng-annotate',
    apply: 'serve',
    configResolved(resolved) {
      config = resolved;
      logger = resolved.logger;
      root = realpathSync(resolved.root);
      stateFile = join(root, '.ng-annotate', 'daemon.json');
    },
    configureServer(server) {
      target();
      server.middlewares.use(forwardHttp);
      server.httpServer?.on('upgrade', (req, socket, head) => {
        if (isOurPath(req.url)) forwardUpgrade(req, socket, head);
      });
      server.httpServer?.once('close', () => { stop(); });
    },
    transformIndexHtml: {
      order: 'post',
      handler() {
        return [{ tag: 'script', attrs: { src: SCRIPT_SRC }, injectTo: 'head' }];
      },
    },
    async closeBundle() {
      await stop();
    },
  };
}
