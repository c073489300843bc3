// Shared plumbing for the benchmarks: starting ours and the peer, real clients,
// timing and percentiles. Everything binds and connects to 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, request, Agent } from 'node:http';
import WebSocket from 'ws';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export { WebSocket };

const here = dirname(fileURLToPath(import.meta.url));
export const PEER_CLI = join(here, 'peer/node_modules/agentation-mcp/dist/cli.js');

export const now = () => process.hrtime.bigint();
export const ms = (from, to) => Number(to - from) / 1e6;
export const sleep = (t) => new Promise((r) => setTimeout(r, t));

// Nearest-rank percentile of a list of numbers.
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summary(values) {
  return { n: values.length, p50: percentile(values, 50), p99: percentile(values, 99) };
}

export function withDeadline(promise, what, ms = 15000) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// Temp dirs removed when the bench exits.
const temps = [];
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
// Children killed when the bench exits, whatever happened.
const children = new Set();
export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
export function cleanup() {
  for (const c of children) c.kill('SIGKILL');
  for (const d of temps) rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}

export async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  try {
    await withDeadline(gone, 'a child to exit', 5000);
  } catch {
    child.kill('SIGKILL');
    await gone;
  }
}

export function rssKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
  return m ? Number(m[1]) : NaN;
}

// A port nobody listens on right now (the peer cannot bind port 0 itself).
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------- ours

// `ng-annotate serve --root root --port 0`; resolves with {child, port, wsUrl}.
// `extra`: more serve arguments (e.g. --store URL --project NAME).
export async function startServe(bin, root, extra = []) {
  const child = track(spawn(bin, ['serve', '--root', root, '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c) => { stderr += c; });
  const line = await withDeadline(new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${stderr.trim()}`)));
  }), 'serve to listen');
  const { port } = JSON.parse(line);
  return { child, port, wsUrl: `ws://127.0.0.1:${port}/__annotate` };
}

// A browser-side socket: resolves once session:created is in, with
// {ws, sessionId, on(type, fn)}; every message is dispatched by type.
// `headers`: more upgrade headers (a team server's Cookie and Origin).
export async function browser(wsUrl, headers = {}) {
  const ws = new WebSocket(wsUrl, { maxPayload: 256 * 1024 * 1024, headers });
  const handlers = new Map();
  const on = (type, fn) => {
    if (!handlers.has(type)) handlers.set(type, new Set());
    handlers.get(type).add(fn);
    return () => handlers.get(type).delete(fn);
  };
  ws.on('message', (data) => {
    const msg = JSON.parse(data);
    for (const fn of handlers.get(msg.type) ?? []) fn(msg);
  });
  const session = new Promise((resolve) => {
    const off = on('session:created', (m) => { off(); resolve(m.session.id); });
  });
  await withDeadline(new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  }), 'the WebSocket to open');
  const sessionId = await withDeadline(session, 'session:created');
  return { ws, sessionId, on };
}

export function createFrame(i) {
  return JSON.stringify({
    type: 'annotation:create',
    payload: {
      annotationText: `bench request ${i}: make this button primary`,
      componentName: 'ButtonComponent',
      componentFilePath: 'src/app/button.component.ts',
      selector: 'app-button',
      domSnapshot: '<app-button><button>Save</button></app-button>',
      componentTreePath: ['AppComponent', 'FormComponent'],
    },
  });
}

// The official SDK client over stdio to `command args` (env extended).
export async function sdkClient(command, args, env = {}) {
  const transport = new StdioClientTransport({
    command, args, env: { ...process.env, ...env }, stderr: 'pipe',
  });
  transport.stderr?.on('data', () => {});
  const client = new Client({ name: 'ng-annotate-bench', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

export function toolJson(result) {
  if (result.isError) throw new Error(`tool error: ${result.content?.[0]?.text}`);
  return result.structuredContent ?? JSON.parse(result.content[0].text);
}

// ---------------------------------------------------------------- peer

export function peerInstalled() {
  return existsSync(PEER_CLI);
}

export function peerPackageVersion() {
  try {
    return JSON.parse(readFileSync(join(here, 'peer/node_modules/agentation-mcp/package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

// `agentation-mcp server --port P --host 127.0.0.1` with HOME = a temp dir;
// resolves with {child, port, base, home} once /health answers.
export async function startPeer() {
  const home = tempDir('nga-bench-peer-home-');
  const port = await freePort();
  // stdin stays open: the same process also serves MCP on stdio.
  const child = track(spawn(process.execPath, [PEER_CLI, 'server', '--port', String(port), '--host', '127.0.0.1'], {
    stdio: ['pipe', 'ignore', 'pipe'],
    env: { ...process.env, HOME: home },
  }));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c) => { stderr += c; if (stderr.length > 20000) stderr = stderr.slice(-10000); });
  const base = `http://127.0.0.1:${port}`;
  const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`agentation-mcp exited (${code}): ${stderr.trim().slice(-500)}`))));
  exited.catch(() => {});
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      const r = await Promise.race([http('GET', `${base}/health`), exited]);
      if (r.status === 200) break;
    } catch (e) {
      if (child.exitCode !== null) throw e;
      if (Date.now() > deadline) throw new Error(`agentation-mcp did not answer /health: ${e.message}; ${stderr.trim().slice(-500)}`);
    }
    await sleep(20);
  }
  return { child, port, base, home };
}

// The peer's agent side: its own stdio MCP process pointed at the HTTP server.
export function peerAgent(peer) {
  return sdkClient(process.execPath, [PEER_CLI, 'server', '--mcp-only', '--http-url', peer.base], { HOME: peer.home });
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

// A small HTTP client (keep-alive): resolves {status, body (parsed JSON or text)}.
export function http(method, url, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(url, {
      method,
      agent: keepAlive,
      headers: data === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        let parsed = text;
        try { parsed = JSON.parse(text); } catch {}
        resolve({ status: res.statusCode, body: parsed });
      });
    });
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

export function peerAnnotation(i) {
  return {
    comment: `bench request ${i}: make this button primary`,
    element: 'button',
    elementPath: 'body > app-root > app-form > app-button > button',
    x: 100 + (i % 500),
    y: 200,
    timestamp: Date.now(),
  };
}

export async function peerSession(peer) {
  const r = await http('POST', `${peer.base}/sessions`, { url: 'http://localhost:4200/' });
  if (r.status !== 201) throw new Error(`POST /sessions: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
}

export async function peerCreate(peer, sessionId, i) {
  const r = await http('POST', `${peer.base}/sessions/${sessionId}/annotations`, peerAnnotation(i));
  if (r.status !== 201) throw new Error(`POST annotation: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

// The peer's browser-side event stream: GET /sessions/:id/events (SSE).
// Resolves once connected with {on(fn), close()}; fn gets each parsed event.
export function peerEvents(peer, sessionId) {
  return new Promise((resolve, reject) => {
    const fns = new Set();
    const req = request(`${peer.base}/sessions/${sessionId}/events`, { headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) { reject(new Error(`SSE: HTTP ${res.statusCode}`)); return; }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buf += chunk;
        const lines = buf.split('\n');
        buf = lines.pop();
        for (const line of lines) {
          if (!line.startsWith('data: ')) continue;
          let ev;
          try { ev = JSON.parse(line.slice(6)); } catch { continue; }
          for (const fn of fns) fn(ev);
        }
      });
      resolve({ on: (fn) => { fns.add(fn); return () => fns.delete(fn); }, close: () => req.destroy() });
    });
    req.on('error', (e) => { if (e.code !== 'ECONNRESET') reject(e); });
    req.end();
  });
}

// `ng-annotate mcp` driven by JSON-RPC lines over its stdio, no SDK: what the
// server and the pipes cost, without the SDK client's parsing and schema
// validation. Initialized on return; rpc() resolves with the response line.
export async function rawMcp(bin, root, extra = []) {
  const child = track(spawn(bin, ['mcp', '--root', root, ...extra], { stdio: ['pipe', 'pipe', 'ignore'] }));
  let buf = '';
  const waiting = new Map();  // id -> resolve
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const id = /^\{"jsonrpc":"2.0","id":(\d+)/.exec(line)?.[1] ?? JSON.parse(line).id;
      const w = waiting.get(Number(id));
      if (w) { waiting.delete(Number(id)); w(line); }
    }
  });
  let nextId = 0;
  const rpc = (method, params, timeout = 30000) => {
    const id = nextId++;
    const answered = new Promise((resolve) => waiting.set(id, resolve));
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    return withDeadline(answered, method, timeout);
  };
  await rpc('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } });
  child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
  return { rpc, close: () => stop(child) };
}
