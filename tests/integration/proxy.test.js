// `serve --proxy URL` against a small Node upstream: streaming, HTML
// injection, header rewriting, WebSockets, SSE, the upstream going away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, Agent } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { startServe, withDeadline, Client } from './lib/serve.js';
import { startUpstream, freePort, PAGE } from './lib/upstream.js';

const TAG = '<script src="/__annotate/client.js"></script>';

// One HTTP request: resolves with {status, headers, body (Buffer)}.
function fetchRaw(port, path, { method = 'GET', headers = {}, body, agent, ms = 5000 } = {}) {
  return withDeadline(new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent, setHost: !('Host' in headers) });
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), socket: req.socket }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  }), `${method} ${path}`, ms);
}

const sha = (buffer) => createHash('sha256').update(buffer).digest('hex');

test('serve --proxy fronts a dev server', async (t) => {
  const upstream = await startUpstream(t);
  const proxy = await startServe(t, { args: ['--proxy', upstream.url] });
  assert.equal(proxy.proxy, upstream.url);
  const port = proxy.port;

  await t.test('an HTML page gets the overlay tag before </head>, Content-Length fixed up', async () => {
    const res = await fetchRaw(port, '/');
    assert.equal(res.status, 200);
    const html = res.body.toString('utf8');
    assert.equal(html, PAGE.replace('</head>', `${TAG}</head>`));
    assert.equal(Number(res.headers['content-length']), res.body.length);
    assert.equal(res.headers['transfer-encoding'], undefined);
  });

  await t.test('a chunked HTML page gets the tag even with </head> split across chunks', async () => {
    const res = await fetchRaw(port, '/chunked.html');
    assert.equal(res.status, 200);
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    assert.equal(res.body.toString(), `<html><head><title>c</title>${TAG}</head><body>chunked</body></html>`);
  });

  await t.test('a page without a head gets the tag at the start of the body', async () => {
    const res = await fetchRaw(port, '/nohead.html');
    assert.equal(res.body.toString(), `<body class="x">${TAG}fragment</body>`);
    assert.equal(Number(res.headers['content-length']), res.body.length);
  });

  await t.test('a 300 KB binary asset arrives byte-identical, with its length', async () => {
    const res = await fetchRaw(port, '/asset.bin');
    assert.equal(res.status, 200);
    assert.equal(res.body.length, upstream.asset.length);
    assert.equal(sha(res.body), upstream.assetSha);
    assert.equal(Number(res.headers['content-length']), upstream.asset.length);
    const streamed = await fetchRaw(port, '/stream.bin');
    assert.equal(streamed.headers['transfer-encoding'], 'chunked');
    assert.equal(sha(streamed.body), upstream.assetSha);
  });

  await t.test('a large request body is streamed to the upstream intact (length and chunked)', async () => {
    // Over the 8 MiB that ng-annotate's own routes accept: the proxy's limit applies.
    const body = randomBytes(9 * 1024 * 1024 + 17);
    const sized = await fetchRaw(port, '/upload', { method: 'POST', body, headers: { 'content-length': body.length } });
    assert.deepEqual(JSON.parse(sized.body), { bytes: body.length, sha: sha(body) });
    const chunked = await fetchRaw(port, '/upload', { method: 'POST', body, headers: { 'transfer-encoding': 'chunked' } });
    assert.deepEqual(JSON.parse(chunked.body), { bytes: body.length, sha: sha(body) });
  });

  await t.test('a HEAD of an HTML page has the Content-Length the GET will have, and no body', async () => {
    const res = await fetchRaw(port, '/', { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(Number(res.headers['content-length']), Buffer.byteLength(PAGE) + TAG.length);
    assert.equal(res.body.length, 0);
  });

  await t.test('a 404 of the upstream is passed through, body and headers', async () => {
    const res = await fetchRaw(port, '/nothing/here');
    assert.equal(res.status, 404);
    assert.equal(res.body.toString(), 'no /nothing/here here');
    assert.equal(res.headers['x-upstream'], 'yes');
  });

  await t.test('the upstream sees its own Host, the browser\'s in X-Forwarded-Host, identity encoding', async () => {
    const res = await fetchRaw(port, '/headers', {
      headers: { 'accept-encoding': 'gzip, br', 'x-custom': 'kept', cookie: 'a=b' },
    });
    const seen = JSON.parse(res.body);
    assert.equal(seen.host, `127.0.0.1:${upstream.port}`);
    assert.equal(seen['x-forwarded-host'], `127.0.0.1:${port}`);
    assert.equal(seen['x-forwarded-proto'], 'http');
    assert.equal(seen['accept-encoding'], 'identity');
    assert.equal(seen['x-custom'], 'kept');
    assert.equal(seen.cookie, 'a=b');
  });

  await t.test('a redirect into the upstream points back at the proxy', async () => {
    const res = await fetchRaw(port, '/redirect');
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, `http://127.0.0.1:${port}/target?x=1`);
  });

  await t.test('ng-annotate still answers /__annotate* and /mcp itself, on the same keep-alive socket', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    t.after(() => agent.destroy());
    const page = await fetchRaw(port, '/', { agent });
    const health = await fetchRaw(port, '/__annotate/health', { agent });
    assert.equal(health.socket, page.socket, 'the connection was kept alive across the proxied exchange');
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(health.body).root, proxy.root);
    const client = await fetchRaw(port, '/__annotate/client.js', { agent });
    assert.equal(client.status, 200);
    assert.match(client.headers['content-type'], /javascript/);
    assert.equal((await fetchRaw(port, '/__annotate/nope')).status, 404);
    assert.ok(!upstream.requests.some((r) => r.url.startsWith('/__annotate')), 'nothing of ours reached the upstream');
    // /mcp keeps its own Origin policy: a foreign page is refused by ng-annotate.
    const mcp = await fetchRaw(port, '/mcp', { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, body: '{}' });
    assert.equal(mcp.status, 403);
    // ...and its own body limit (8 MiB), told from the header alone.
    const big = await fetchRaw(port, '/mcp', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 9 * 1024 * 1024 } });
    assert.equal(big.status, 413);
    assert.ok(!upstream.requests.some((r) => r.url.startsWith('/mcp')));
  });

  await t.test('a foreign Host is refused before anything is forwarded (DNS rebinding)', async () => {
    const before = upstream.requests.length;
    const res = await fetchRaw(port, '/', { headers: { Host: 'evil.example' } });
    assert.equal(res.status, 403);
    assert.equal(upstream.requests.length, before);
  });

  await t.test('the overlay\'s own socket works through the proxy origin', async () => {
    const client = await Client.connect(`ws://127.0.0.1:${port}/__annotate`, {
      headers: { Origin: `http://127.0.0.1:${port}` },
    });
    const { session } = await client.handshake();
    assert.ok(session.id);
    await client.close();
    assert.equal(upstream.upgrades.length, 0);
  });

  await t.test('a WebSocket upgrade is tunnelled to the upstream: text and binary echo', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?x=1`, { headers: { Origin: `http://127.0.0.1:${port}` } });
    const messages = [];
    const next = () => withDeadline(new Promise((resolve) => {
      if (messages.length) return resolve(messages.shift());
      ws.once('message', (data, binary) => { resolve({ data, binary }); });
    }), 'an echo');
    await withDeadline(new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); }), 'the upgrade');
    ws.send('hello');
    const text = await next();
    assert.equal(text.data.toString(), 'echo: hello');
    const blob = randomBytes(200 * 1024);
    ws.send(blob);
    const back = await next();
    assert.ok(back.binary);
    assert.equal(sha(back.data), sha(blob));
    // The upstream saw its own host in Host and Origin.
    const seen = upstream.upgrades.at(-1);
    assert.equal(seen.host, `127.0.0.1:${upstream.port}`);
    assert.equal(seen.origin, `http://127.0.0.1:${upstream.port}`);
    const closed = withDeadline(new Promise((resolve) => ws.once('close', (code) => resolve(code))), 'the close');
    ws.close(1000);
    assert.equal(await closed, 1000);
  });

  await t.test('an SSE stream arrives event by event', async () => {
    const req = request({ host: '127.0.0.1', port, path: '/sse', headers: { accept: 'text/event-stream' } });
    t.after(() => req.destroy());
    const res = await withDeadline(new Promise((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
      req.end();
    }), 'the SSE response');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'], /text\/event-stream/);
    let received = '';
    const until = (text) => withDeadline(new Promise((resolve) => {
      const check = () => { if (received.includes(text)) { res.off('data', onData); resolve(); } };
      const onData = (chunk) => { received += chunk; check(); };
      res.on('data', onData);
      check();
    }), `the event '${text}'`);
    // Event 2 is only written after the client has seen event 1.
    await until('data: one\n\n');
    const upstreamRes = await upstream.sseOpened();
    upstreamRes.write('id: 2\ndata: two\n\n');
    await until('data: two\n\n');
    const ended = withDeadline(new Promise((resolve) => res.on('end', resolve)), 'the end of the stream');
    upstreamRes.end();
    await ended;
    assert.equal(received, 'id: 1\ndata: one\n\nid: 2\ndata: two\n\n');
  });
});

test('an upstream that is down gets a 502 page at once, which reloads itself once it is back', async (t) => {
  const port = await freePort();
  const upstreamUrl = `http://127.0.0.1:${port}`;
  const proxy = await startServe(t, { args: ['--proxy', upstreamUrl] });

  const started = Date.now();
  const res = await fetchRaw(proxy.port, '/some/page', { ms: 1000 });  // the promised bound
  console.log(`502 after ${Date.now() - started} ms`);
  assert.equal(res.status, 502);
  assert.match(res.headers['content-type'], /text\/html/);
  const html = res.body.toString();
  assert.ok(html.includes(upstreamUrl), 'the page names the upstream URL');
  assert.match(html, /refused/i, 'the page says what went wrong');
  assert.match(html, /\/__annotate\/upstream/, 'the page polls the health endpoint');

  const down = JSON.parse((await fetchRaw(proxy.port, '/__annotate/upstream')).body);
  assert.equal(down.up, false);
  assert.equal(down.upstream, upstreamUrl);
  assert.match(down.error, /refused/i);

  // A WebSocket upgrade is refused the same way, not hung.
  const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/hmr`);
  const refused = await withDeadline(new Promise((resolve) => {
    ws.once('unexpected-response', (_req, r) => resolve(r.statusCode));
    ws.once('error', () => {});
  }), 'the refused upgrade', 1000);
  assert.equal(refused, 502);

  // The page in a browser: reloads into the app once the upstream listens.
  const { launch } = await import('../e2e/lib/browser.js');
  const browser = await launch(t);
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${proxy.port}/`);
  assert.equal(await page.title(), '502: dev server cannot be reached');
  const upstream = await startUpstream(t, { port });
  await page.waitForFunction(() => document.title === 'upstream', null, { timeout: 10000 });
  assert.ok(await page.evaluate(() => !!document.querySelector('script[src="/__annotate/client.js"]')));
  const up = JSON.parse((await fetchRaw(proxy.port, '/__annotate/upstream')).body);
  assert.equal(up.up, true);
  assert.equal(up.error, null);
  assert.ok(upstream.requests.length > 0);
});

test('bad --proxy URLs are refused with a clear message', async () => {
  const { run } = await import('./lib/cli.js');
  for (const [url, why] of [['https://localhost:4200', /https/], ['http://localhost:4200/app', /path/],
    ['http://localhost:99999', /bad port/], ['ftp://x', /scheme/]]) {
    const r = run(['serve', '--port', '0', '--proxy', url], { timeout: 5000 });
    assert.notEqual(r.status, 0, url);
    assert.match(r.stderr, why, url);
  }
});

// An upstream that misbehaves on purpose, over raw TCP.
async function rawUpstream(t) {
  const { createServer } = await import('node:net');
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk;
      if (!head.includes('\r\n\r\n')) return;
      const path = head.split(' ')[1];
      if (path === '/hang') return;  // never answers
      if (path === '/bigheaders') {
        socket.end(`HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(70 * 1024)}\r\ncontent-length: 0\r\n\r\n`);
      } else if (path === '/truncated') {
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 1000\r\n\r\n${'x'.repeat(500)}`);
        setImmediate(() => socket.destroy());
      } else if (path === '/hold') {  // a stream that stays open
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n6\r\ndata:\n\n\r\n');
      } else {
        socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
      }
      head = '';
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => { for (const s of sockets) s.destroy(); server.close(); });
  return { url: `http://127.0.0.1:${server.address().port}`, sockets };
}

// Opens a response and resolves once its head has arrived (the body stays open).
function openStream(port, path) {
  return withDeadline(new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path });
    req.on('response', (res) => resolve({ req, res, status: res.statusCode }));
    req.on('error', reject);
    req.end();
  }), `opening ${path}`);
}

test('every proxied exchange is bounded, and each limit says which it was', async (t) => {
  const upstream = await rawUpstream(t);
  const proxy = await startServe(t, {
    args: ['--proxy', upstream.url, '--proxy-response-timeout', '0.5', '--proxy-max-connections', '2'],
  });
  const port = proxy.port;

  const hang = await fetchRaw(port, '/hang');
  assert.equal(hang.status, 504);
  assert.match(hang.headers['x-ng-annotate-proxy-error'], /did not answer within 500 ms/);
  assert.match(hang.body.toString(), /did not answer within 500 ms/);

  const big = await fetchRaw(port, '/bigheaders');
  assert.equal(big.status, 502);
  assert.match(big.headers['x-ng-annotate-proxy-error'], /response headers over the proxy's limit/);

  // A body cut short upstream is cut short here too, never passed off as complete.
  await assert.rejects(fetchRaw(port, '/truncated'), /aborted|ECONNRESET|socket hang up/);

  const tooLong = await fetchRaw(port, '/ok', { headers: { 'x-long': 'y'.repeat(20 * 1024) } });
  assert.equal(tooLong.status, 431);

  // Two streams hold the two allowed upstream connections; a third request is refused.
  const first = await openStream(port, '/hold');
  const second = await openStream(port, '/hold');
  assert.equal(first.status, 200);
  assert.equal(second.status, 200);
  const refused = await fetchRaw(port, '/ok');
  assert.equal(refused.status, 503);
  assert.match(refused.headers['x-ng-annotate-proxy-error'], /too many proxied connections open at once \(limit 2\)/);
  // Closing the streams in the browser lets their upstream connections go.
  first.req.destroy();
  second.req.destroy();
  await withDeadline((async () => {
    for (;;) {
      const res = await fetchRaw(port, '/ok');
      if (res.status === 200) return assert.equal(res.body.toString(), 'ok');
      await new Promise((resolve) => setImmediate(resolve));
    }
  })(), 'the upstream connections to be released');
});

test('SIGTERM with a proxied stream and a tunnel open shuts down cleanly', async (t) => {
  const upstream = await startUpstream(t);
  const proxy = await startServe(t, { args: ['--proxy', upstream.url] });
  const stream = await openStream(proxy.port, '/sse');
  stream.res.on('error', () => {});
  const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/ws`);
  ws.on('error', () => {});
  await withDeadline(new Promise((resolve) => ws.once('open', resolve)), 'the tunnel');
  const wsClosed = new Promise((resolve) => ws.once('close', resolve));
  const { code } = await proxy.stop('SIGTERM');
  assert.equal(code, 0);
  await withDeadline(wsClosed, 'the tunnel to close');
});

test('a request body must keep up a minimum rate: a steady upload passes, a trickle gets a 408', async (t) => {
  const upstream = await startUpstream(t);
  const proxy = await startServe(t, {
    args: ['--proxy', upstream.url, '--proxy-body-timeout', '1', '--proxy-body-min-rate', '1000'],
  });
  // 64 KiB in 8 pieces a quarter second apart: about 2 s, far above 1000 B/s.
  const body = randomBytes(64 * 1024);
  const steady = await withDeadline(new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: proxy.port, path: '/upload', method: 'POST', headers: { 'content-length': body.length } });
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    let piece = 0;
    const next = () => {
      req.write(body.subarray(piece * 8192, (piece + 1) * 8192));
      piece += 1;
      if (piece < 8) setTimeout(next, 250); else req.end();
    };
    next();
  }), 'the steady upload', 30000);
  assert.equal(steady.status, 200);
  assert.deepEqual(JSON.parse(steady.body), { bytes: body.length, sha: sha(body) });

  // One byte every 200 ms: 5 B/s, cut a little after the first second.
  const { connect } = await import('node:net');
  const socket = connect(proxy.port, '127.0.0.1');
  t.after(() => socket.destroy());
  socket.on('error', () => {});
  let answer = '';
  socket.setEncoding('latin1').on('data', (chunk) => { answer += chunk; });
  socket.write(`POST /upload HTTP/1.1\r\nHost: 127.0.0.1:${proxy.port}\r\nContent-Length: 100\r\n\r\n`);
  const trickle = setInterval(() => socket.write('x'), 200);
  t.after(() => clearInterval(trickle));
  await withDeadline(new Promise((resolve) => socket.on('data', () => answer.includes('\r\n\r\n') && resolve())), 'the 408', 30000);
  clearInterval(trickle);
  assert.match(answer, /^HTTP\/1\.1 408 /);
  assert.match(answer, /content-type: text\/plain/);
  assert.match(answer, /x-ng-annotate-proxy-error: request body too slow: \d+ bytes in [\d.]+ s; the proxy wants 1000 bytes\/s after the first 1 s/);
});
