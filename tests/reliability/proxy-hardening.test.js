// Issue 21 items 2, 4 and 5, the red team's cases against `serve --proxy`:
// the connection cap under concurrency and against trickled bodies, status
// lines and transfer codings the proxy must not relay, and the headers a
// client could spoof through it. The upstream is raw TCP so that it can
// misbehave exactly; the clients are raw TCP so that they can too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect as netConnect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { startServe, withDeadline } from '../integration/lib/serve.js';

// Waits (polling, with a deadline) until `predicate()` holds.
async function until(predicate, what, ms) {
  await withDeadline((async () => {
    while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 20));
  })(), what, ms);
}

// An upstream over raw TCP. `answers[path]` is the raw response to write
// (a function of the request head, or null: never answer). Counts the
// connections open now and at most, and keeps every request head.
async function scriptedUpstream(t, answers) {
  const sockets = new Set();
  const state = { open: 0, maxOpen: 0, heads: [] };
  const server = createServer((socket) => {
    sockets.add(socket);
    state.open += 1;
    state.maxOpen = Math.max(state.maxOpen, state.open);
    socket.on('close', () => { sockets.delete(socket); state.open -= 1; });
    socket.on('error', () => {});
    let data = '';
    socket.setEncoding('latin1').on('data', (chunk) => {
      data += chunk;
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = data.slice(0, end);
      data = '';
      state.heads.push(head);
      const answer = answers[head.split(' ')[1]];
      if (answer === null) return;  // holds the connection, never answers
      const text = typeof answer === 'function' ? answer(head) : answer ?? 'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n';
      socket.end(Buffer.from(text, 'latin1'));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  }));
  return Object.assign(state, { url: `http://127.0.0.1:${server.address().port}` });
}

// One raw request (its bytes written as given). Resolves with the final
// answer's {status, headers, body}, plus `interim`: the 1xx statuses before
// it. Anything not 1xx is final, as a browser would take it.
function rawRequest(port, text, { ms = 10000 } = {}) {
  return withDeadline(new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1', () => socket.write(Buffer.from(text, 'latin1')));
    let data = '';
    const interim = [];
    const settle = (final) => {
      socket.destroy();
      resolve(final);
    };
    const parse = (closed) => {
      for (;;) {
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) return closed && settle(null);
        const [statusLine, ...lines] = data.slice(0, end).split('\r\n');
        const status = Number(/^HTTP\/1\.1 (\d+)/.exec(statusLine)?.[1]);
        const headers = {};
        for (const line of lines) {
          const colon = line.indexOf(':');
          headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
        }
        if (status >= 100 && status < 200) {
          interim.push(status);
          data = data.slice(end + 4);
          continue;
        }
        const body = data.slice(end + 4);
        const length = headers['content-length'];
        if (length !== undefined ? body.length >= Number(length) : closed) {
          return settle({ status, statusLine, headers, body, interim });
        }
        return undefined;
      }
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => { data += chunk; parse(false); });
    socket.on('end', () => parse(true));
    socket.on('close', () => parse(true));
    socket.on('error', reject);
  }), 'a raw answer', ms);
}

const get = (port, path, extra = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${extra}\r\n`;

test('item 2: 150 concurrent slow requests against a cap of 32 open at most 32 upstream connections', async (t) => {
  const upstream = await scriptedUpstream(t, { '/slow': null });
  const proxy = await startServe(t, { args: ['--proxy', upstream.url, '--proxy-max-connections', '32'] });
  const sockets = [];
  t.after(() => { for (const socket of sockets) socket.destroy(); });
  let refused = 0;
  const other = [];
  for (let i = 0; i < 150; i += 1) {
    const socket = netConnect(proxy.port, '127.0.0.1', () => socket.write(get(proxy.port, '/slow')));
    sockets.push(socket);
    let data = '';
    socket.setEncoding('latin1').on('data', (chunk) => {
      data += chunk;
      if (!data.includes('\r\n')) return;
      if (data.startsWith('HTTP/1.1 503 ')) refused += 1;
      else other.push(data.split('\r\n')[0]);
      data = '';
      socket.destroy();
    });
    socket.on('error', () => {});
  }
  // Every request is either refused or holding an upstream connection; none
  // of those is ever answered, so no slot is given back meanwhile.
  await until(() => refused + upstream.open + other.length === 150, 'all 150 requests to be placed', 60000);
  assert.deepEqual(other, []);
  assert.ok(upstream.maxOpen <= 32, `the upstream saw ${upstream.maxOpen} connections at once`);
  assert.equal(upstream.open, 32);
  assert.equal(refused, 118);
});

test('item 2: a request body trickled in at 1 B/s is cut with a named 408, and its slot goes back', async (t) => {
  const upstream = await scriptedUpstream(t, {
    '/upload': null,
    '/ok': 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok',
  });
  // The defaults: 10 s for the body plus 1 s per 1024 bytes that arrived.
  const proxy = await startServe(t, { args: ['--proxy', upstream.url, '--proxy-max-connections', '1'] });
  const socket = netConnect(proxy.port, '127.0.0.1');
  t.after(() => socket.destroy());
  socket.on('error', () => {});
  let answer = '';
  socket.setEncoding('latin1').on('data', (chunk) => { answer += chunk; });
  socket.write(`POST /upload HTTP/1.1\r\nHost: 127.0.0.1:${proxy.port}\r\nContent-Length: 1000\r\n\r\n`);
  const trickle = setInterval(() => socket.write('x'), 1000);
  t.after(() => clearInterval(trickle));
  await until(() => upstream.open === 1, 'the upload to reach the upstream', 10000);
  // Meanwhile the one slot is taken.
  assert.equal((await rawRequest(proxy.port, get(proxy.port, '/ok'))).status, 503);

  await until(() => answer.includes('\r\n\r\n'), 'the trickled upload to be cut', 60000);
  clearInterval(trickle);
  assert.match(answer, /^HTTP\/1\.1 408 /);
  assert.match(answer, /x-ng-annotate-proxy-error: request body too slow: \d+ bytes in [\d.]+ s; the proxy wants 1024 bytes\/s after the first 10 s/);
  await until(() => upstream.open === 0, 'the upstream connection to close', 10000);
  const after = await rawRequest(proxy.port, get(proxy.port, '/ok'));
  assert.equal(after.status, 200);
  assert.equal(after.body, 'ok');
});

test('item 4: statuses outside 100-599 and transfer codings other than chunked become a 502', async (t) => {
  const gzipped = gzipSync('<html><head></head><body>zipped</body></html>').toString('latin1');
  const upstream = await scriptedUpstream(t, {
    '/status000': 'HTTP/1.1 000 Zero\r\ncontent-length: 2\r\n\r\nok',
    '/status099': 'HTTP/1.1 099 Early\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok',
    '/status600': 'HTTP/1.1 600 Big\r\ncontent-length: 2\r\n\r\nok',
    '/gzip-chunked': `HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ntransfer-encoding: gzip, chunked\r\n\r\n${gzipped.length.toString(16)}\r\n${gzipped}\r\n0\r\n\r\n`,
    '/gzip-only': `HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ntransfer-encoding: gzip\r\n\r\n${gzipped}`,
    '/hints': 'HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok',
  });
  const proxy = await startServe(t, { args: ['--proxy', upstream.url] });
  for (const [path, error] of [
    ['/status000', /sent the invalid status 000/],
    ['/status099', /sent the invalid status 099/],
    ['/status600', /sent the invalid status 600/],
    ['/gzip-chunked', /sent Transfer-Encoding 'gzip, chunked'; the proxy relays only plain chunked bodies/],
    ['/gzip-only', /sent Transfer-Encoding 'gzip'/],
  ]) {
    const res = await rawRequest(proxy.port, get(proxy.port, path));
    assert.equal(res?.status, 502, `${path}: ${res?.statusLine}`);
    assert.match(res.headers['x-ng-annotate-proxy-error'], error, path);
  }
  // An informational answer is passed on, and is not taken for the final one.
  const hinted = await rawRequest(proxy.port, get(proxy.port, '/hints'));
  assert.deepEqual(hinted.interim, [103]);
  assert.equal(hinted.status, 200);
  assert.equal(hinted.body, 'ok');
});

test('item 5: two Host headers are refused with 400, a client\'s forwarding headers are replaced', async (t) => {
  const upstream = await scriptedUpstream(t, {
    '/headers': (head) => {
      const body = JSON.stringify(head.split('\r\n').slice(1));
      return `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    },
  });
  const proxy = await startServe(t, { args: ['--proxy', upstream.url] });
  const host = `127.0.0.1:${proxy.port}`;

  const twoHosts = await rawRequest(proxy.port, `GET /headers HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\n\r\n`);
  assert.equal(twoHosts.status, 400);
  assert.match(twoHosts.headers['x-ng-annotate-proxy-error'], /more than one Host header/);
  // Request bodies in a coding the proxy cannot frame or would strip.
  const gzipChunked = await rawRequest(proxy.port,
    `POST /headers HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: gzip, chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n`);
  assert.equal(gzipChunked.status, 501);
  const gzipOnly = await rawRequest(proxy.port,
    `POST /headers HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: gzip\r\n\r\nGET /headers HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  assert.equal(gzipOnly.status, 400);

  // An absolute-form target names a host too, which the app would believe
  // over Host: it is checked like Host, and goes on in origin-form.
  const foreign = await rawRequest(proxy.port, `GET http://evil.example/headers HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  assert.equal(foreign.status, 403);
  assert.equal(upstream.heads.length, 0, 'none of these reached the upstream');
  const own = await rawRequest(proxy.port, `GET http://${host}/headers HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  assert.equal(own.status, 200);
  assert.match(upstream.heads.at(-1), /^GET \/headers HTTP\/1\.1\r\n/);

  const spoofed = await rawRequest(proxy.port, get(proxy.port, '/headers',
    'X-Forwarded-Host: evil.example\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: https\r\n'
    + 'X-Forwarded-Port: 443\r\nForwarded: for=10.0.0.1;host=evil.example;proto=https\r\nX-Real-IP: 10.0.0.1\r\n'));
  assert.equal(spoofed.status, 200);
  const seen = JSON.parse(spoofed.body).map((line) => line.toLowerCase());
  const forwarding = seen.filter((line) => /^(x-forwarded-|forwarded:|x-real-ip:)/.test(line));
  assert.deepEqual(forwarding.sort(), [
    `forwarded: for=127.0.0.1;host="${host}";proto=http`,
    `x-forwarded-for: 127.0.0.1`,
    `x-forwarded-host: ${host}`,
    'x-forwarded-proto: http',
  ]);
});
