// A small dev-server stand-in for the proxy tests: plain Node http + ws on
// 127.0.0.1, port 0 (or a given one). Records what it was sent so tests can
// check the proxy's header rewriting. Closed when the test ends.
import { createServer } from 'node:http';
import { randomBytes, createHash } from 'node:crypto';
import { WebSocketServer } from 'ws';

export const PAGE = '<!doctype html><html><head><title>upstream</title></head><body><p>hello</p></body></html>';

export async function startUpstream(t, { port = 0 } = {}) {
  const asset = randomBytes(300 * 1024);
  const state = {
    asset,
    assetSha: createHash('sha256').update(asset).digest('hex'),
    requests: [],       // {url, headers} of every HTTP request
    upgrades: [],       // headers of every WebSocket upgrade
    sse: null,          // the open SSE response, for the test to write to
    sseWaiters: [],
  };
  const server = createServer((req, res) => {
    state.requests.push({ url: req.url, headers: req.headers });
    const url = new URL(req.url, 'http://x');
    switch (url.pathname) {
      case '/':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(PAGE) });
        return res.end(PAGE);
      case '/chunked.html': {
        // Chunked, with the closing head tag split across pieces.
        res.writeHead(200, { 'content-type': 'text/html' });
        const pieces = ['<html><head><title>c</title></he', 'ad><bo', 'dy>chunked</body></html>'];
        let i = 0;
        const next = () => { if (i < pieces.length) { res.write(pieces[i++]); setImmediate(next); } else res.end(); };
        return next();
      }
      case '/nohead.html':
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': 31 });
        return res.end('<body class="x">fragment</body>');
      case '/asset.bin':
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': asset.length });
        return res.end(asset);
      case '/stream.bin': // the same bytes, chunked in odd pieces
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        for (let at = 0; at < asset.length; at += 7777) res.write(asset.subarray(at, at + 7777));
        return res.end();
      case '/headers':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(req.headers));
      case '/redirect':
        res.writeHead(302, { location: `http://127.0.0.1:${server.address().port}/target?x=1` });
        return res.end();
      case '/upload': {
        const hash = createHash('sha256');
        let bytes = 0;
        req.on('data', (chunk) => { bytes += chunk.length; hash.update(chunk); });
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ bytes, sha: hash.digest('hex') }));
        });
        return;
      }
      case '/sse':
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write('id: 1\ndata: one\n\n');
        state.sse = res;
        for (const wake of state.sseWaiters.splice(0)) wake(res);
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain', 'x-upstream': 'yes' });
        return res.end(`no ${url.pathname} here`);
    }
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    state.upgrades.push(req.headers);
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data, binary) => ws.send(binary ? data : `echo: ${data}`, { binary }));
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const close = () => new Promise((resolve) => {
    for (const client of wss.clients) client.terminate();
    server.closeAllConnections();
    server.close(() => resolve());
  });
  t.after(close);
  return {
    ...state,
    state,
    server,
    port: server.address().port,
    url: `http://127.0.0.1:${server.address().port}`,
    close,
    // The SSE response once a client has opened /sse.
    sseOpened: () => state.sse ? Promise.resolve(state.sse) : new Promise((resolve) => state.sseWaiters.push(resolve)),
  };
}

// A port that nothing listens on (taken from the kernel, then released).
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}
