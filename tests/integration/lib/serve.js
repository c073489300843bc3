// Starts `ng-annotate serve` on a free port and talks to it like a browser.
// Nothing here sleeps: every wait is for an event, with a deadline.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { BIN, tempRoot, removeRoot, trackDaemon, run, localPath, WINDOWS_BINARY, STOP_SIGNAL } from './cli.js';

const DEADLINE_MS = 5000;

// Rejects with `what` if `promise` has not settled within ms.
export function withDeadline(promise, what, ms = DEADLINE_MS) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// `serve --root <root> --port <port, 0 = any> ...args`; resolves once the
// listening line is read (waits up to `ms`):
// {event, url, port, root, store, child, wsUrl, stderr(), stop(signal)}.
// The process is killed when the test ends.
export async function startServe(t, { root, args = [], port = 0, ms = DEADLINE_MS } = {}) {
  // Our own root is removed only after serve has exited: test.after hooks run
  // in the order they were added, and a root removed under a live daemon
  // failed with ENOTEMPTY as it kept writing (seen in CI).
  const ownRoot = !root;
  root ??= tempRoot(t, { removeAfter: false });
  const child = spawn(BIN, ['serve', '--root', root, '--port', String(port), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  trackDaemon(root, child, exited);
  t.after(async () => {
    // A Windows binary is asked to stop first: under Wine a killed process's
    // sockets stay open until wineserver reaps it, and a client closing its
    // socket in a later hook waited for them.
    if (WINDOWS_BINARY && child.exitCode === null && child.signalCode === null) {
      child.kill(STOP_SIGNAL);
      await withDeadline(exited, 'serve to stop').catch(() => {});
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await withDeadline(exited, 'serve to exit after SIGKILL').catch(() => {});
    if (ownRoot) removeRoot(root);
  });

  const lines = createInterface({ input: child.stdout });
  const listening = await withDeadline(new Promise((resolve, reject) => {
    lines.once('line', (line) => resolve(JSON.parse(line)));
    exited.then(({ code }) => reject(new Error(`serve exited (${code}) before listening: ${stderr}`)));
  }), 'the listening line', ms);

  // The Windows build under Wine (make test-windows) names its paths as Wine
  // sees them (Z:\tmp\…); the tests read and write them from this side.
  listening.root = localPath(listening.root);
  listening.store = localPath(listening.store);

  return {
    ...listening,
    child,
    wsUrl: `ws://127.0.0.1:${listening.port}/__annotate`,
    stderr: () => stderr,
    // Sends the signal and resolves with {code, signal} once the process is gone.
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return withDeadline(exited, 'serve to exit', ms);
    },
    exited,
  };
}

// A WebSocket client that buffers every message so tests can ask for the
// next one of a kind, in any order they like.
export class Client {
  static async connect(url, options = {}) {
    const ws = new WebSocket(url, { headers: options.headers ?? {}, maxPayload: 64 * 1024 * 1024 });
    const client = new Client(ws);
    await withDeadline(new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(
        Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { statusCode: res.statusCode })));
    }), `connecting to ${url}`);
    return client;
  }

  constructor(ws) {
    this.ws = ws;
    this.messages = [];
    this.waiters = new Set();
    this.closed = null;
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()));
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => {});
  }

  wake() { for (const waiter of this.waiters) waiter(); }

  // Resolves with (and removes) the first buffered message for which
  // predicate is true, waiting for it if needed.
  nextMatching(predicate, what = 'a matching message', ms = DEADLINE_MS) {
    return withDeadline(new Promise((resolve, reject) => {
      const check = () => {
        const index = this.messages.findIndex(predicate);
        if (index >= 0) {
          this.waiters.delete(check);
          resolve(this.messages.splice(index, 1)[0]);
        } else if (this.closed) {
          this.waiters.delete(check);
          reject(new Error(`socket closed (${this.closed.code}) while waiting for ${what}`));
        }
      };
      this.waiters.add(check);
      check();
    }), what, ms).finally(() => {});
  }

  // The next message of that type (others stay buffered).
  next(type, ms) { return this.nextMatching((m) => m.type === type, type, ms); }

  // The next message of any type but the periodic annotations:sync.
  nextNonSync(ms) { return this.nextMatching((m) => m.type !== 'annotations:sync', 'a message', ms); }

  // The next message, whatever it is.
  nextAny(ms) { return this.nextMatching(() => true, 'any message', ms); }

  // The connect sequence: session:created, manifest:update, annotations:sync.
  async handshake() {
    const first = await this.nextAny();
    const second = await this.nextAny();
    const third = await this.nextAny();
    return { session: first.session, first, second, third };
  }

  send(message) { this.ws.send(typeof message === 'string' ? message : JSON.stringify(message)); }

  // Resolves with {code, reason} once the socket is closed.
  waitClose(ms) {
    return withDeadline(new Promise((resolve) => {
      const check = () => { if (this.closed) { this.waiters.delete(check); resolve(this.closed); } };
      this.waiters.add(check);
      check();
    }), 'the socket to close', ms);
  }

  async close() {
    if (this.closed) return this.closed;
    this.ws.close(1000);
    return this.waitClose();
  }
}

// What the browser overlay sends for a new annotation.
export function payload(text = 'make this button primary', extra = {}) {
  return {
    componentName: 'ButtonComponent',
    componentFilePath: 'src/app/button.component.ts',
    selector: 'app-button',
    inputs: { label: 'Save' },
    domSnapshot: '<app-button>Save</app-button>',
    componentTreePath: ['AppComponent'],
    annotationText: text,
    ...extra,
  };
}

// Writes a store.json document and imports it with a second process.
export function importStore(root, document, dir) {
  const file = `${dir ?? root}/import-${process.hrtime.bigint()}.json`;
  return import('node:fs').then(({ writeFileSync }) => {
    writeFileSync(file, JSON.stringify(document));
    const result = run(['import', file, '--root', root]);
    if (result.status !== 0) throw new Error(`import failed: ${result.stderr}`);
    return result;
  });
}

// A raw HTTP/1.1 request (so Host and Origin can be anything):
// resolves with {status, headers, body}, or rejects after `ms`.
export function rawRequest(port, { method = 'GET', path = '/', headers = {}, ms = DEADLINE_MS } = {}) {
  return import('node:http').then(({ request }) => withDeadline(new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, setHost: !('Host' in headers) });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve({ status: res.statusCode, headers: res.headers, body: '' }); });
    req.on('error', reject);
    req.end();
  }), `${method} ${path}`, ms));
}
