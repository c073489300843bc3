// MCP over Streamable HTTP at `serve`'s /mcp: the official SDK client, and
// raw requests for what the SDK never sends (bad headers, hostile hosts).
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { withDeadline } from './serve.js';

// An SDK client connected to http://127.0.0.1:PORT/mcp, closed after the test.
// Resolves with {client, transport}.
export async function connectHttp(t, port, name = 'it-http-agent') {
  const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`));
  const client = new Client({ name, version: '1.0.0' });
  await withDeadline(client.connect(transport), 'the MCP initialize handshake');
  t.after(() => client.close());
  return { client, transport };
}

export const INIT = {
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

// One HTTP request to /mcp with any headers; resolves with
// {status, headers, body} once the whole answer is in.
export function mcpRequest(port, { method = 'POST', headers = {}, body, path = '/mcp' } = {}) {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const all = {
    ...(method === 'POST' ? { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' } : {}),
    ...headers,
  };
  return withDeadline(new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: all, setHost: !('Host' in all) });
    req.on('response', (res) => {
      let data = '';
      res.setEncoding('utf8').on('data', (chunk) => { data += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(text);
  }), `${method} ${path}`);
}

// A raw initialize: resolves with the new session id.
export async function rawSession(port) {
  const r = await mcpRequest(port, { body: INIT });
  if (r.status !== 200) throw new Error(`initialize: ${r.status} ${r.body}`);
  const sessionId = r.headers['mcp-session-id'];
  await mcpRequest(port, {
    headers: { 'Mcp-Session-Id': sessionId },
    body: { jsonrpc: '2.0', method: 'notifications/initialized' },
  });
  return sessionId;
}

// Opens a raw SSE request (GET stream, or a POST answered by a stream) and
// keeps it open: {status, headers, next(predicate, what), close()} where
// next() resolves with the next SSE event {id, event, data} matching.
export function openStream(port, { method = 'GET', headers = {}, body } = {}) {
  return withDeadline(new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, method, path: '/mcp',
      headers: { Accept: 'text/event-stream', ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    });
    req.on('response', (res) => {
      const events = [];
      const waiters = new Set();
      let buffer = '';
      let ended = false;
      const wake = () => { for (const w of waiters) w(); };
      res.setEncoding('utf8').on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = { comment: [] };
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':');
            const field = line.slice(0, colon);
            const value = line.slice(colon + 1).replace(/^ /, '');
            if (colon === 0) event.comment.push(value); else event[field] = value;
          }
          events.push(event);
        }
        wake();
      });
      res.on('end', () => { ended = true; wake(); });
      res.on('error', () => { ended = true; wake(); });
      resolve({
        status: res.statusCode,
        headers: res.headers,
        next(predicate = () => true, what = 'an SSE event', ms) {
          return withDeadline(new Promise((ok, fail) => {
            const check = () => {
              const index = events.findIndex(predicate);
              if (index >= 0) { waiters.delete(check); ok(events.splice(index, 1)[0]); }
              else if (ended) { waiters.delete(check); fail(new Error(`stream ended while waiting for ${what}`)); }
            };
            waiters.add(check);
            check();
          }), what, ms);
        },
        ended: () => ended,
        waitEnd() {
          return withDeadline(new Promise((ok) => {
            const check = () => { if (ended) { waiters.delete(check); ok(); } };
            waiters.add(check);
            check();
          }), 'the stream to end');
        },
        close() { req.destroy(); },
      });
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  }), `${method} /mcp stream`);
}

// The JSON-RPC message of an SSE `message` event.
export const messageOf = (event) => JSON.parse(event.data);
