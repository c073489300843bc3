// ng-annotate:html's middleware (packages/vite-plugin/src/html-inject.js) on a
// plain node:http server, answering the ways SSR frameworks answer: one
// whole body, a stream split inside `</head>`, writeHead with its headers,
// a Content-Length, compressed, no head, not HTML at all. The real
// frameworks are in tests/e2e/apps.test.js; this pins each case down.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { overlayMiddleware, HOLD_LIMIT } from '../../packages/vite-plugin/src/html-inject.js';

const TAG = '<script src="/__annotate/client.js"></script>';
const PAGE = '<!doctype html><html><head><title>t</title></head><body><p>é ü</p></body></html>';

// Each route answers as one framework might; the middleware runs first.
const routes = {
  '/whole': (req, res) => { res.setHeader('Content-Type', 'text/html; charset=utf-8'); res.end(PAGE); },
  '/length': (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(PAGE) });
    res.end(PAGE);
  },
  '/raw-headers': (req, res) => {
    res.writeHead(200, 'OK', ['Content-Type', 'text/html', 'Content-Length', String(Buffer.byteLength(PAGE))]);
    res.end(PAGE);
  },
  '/stream': (req, res) => {
    // `</head>` split across writes, and the rest trickling in later.
    res.writeHead(200, { 'content-type': 'text/html' });
    const bytes = Buffer.from(PAGE);
    const cut = PAGE.indexOf('</he') + 4;
    res.write(bytes.subarray(0, 10));
    res.write(bytes.subarray(10, cut));
    setTimeout(() => { res.write(bytes.subarray(cut, cut + 5)); setTimeout(() => res.end(bytes.subarray(cut + 5)), 20); }, 20);
  },
  '/no-head': (req, res) => { res.setHeader('content-type', 'text/html'); res.end('<html><body class="x"><p>hi</p></body></html>'); },
  '/fragment': (req, res) => { res.setHeader('content-type', 'text/html'); res.end('<li>one</li>'); },
  '/nothing-to-find': (req, res) => { res.setHeader('content-type', 'text/html'); res.end('<html><p>no head, no body</p></html>'); },
  '/already': (req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<html><head>${TAG}</head><body></body></html>`);
  },
  '/gzip': (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
    res.end(gzipSync(PAGE));
  },
  '/accept-encoding': (req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(req.headers['accept-encoding'] ?? null)); },
  '/json': (req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"head":"</head>"}'); },
  '/not-modified': (req, res) => { res.writeHead(304, { 'content-type': 'text/html' }); res.end(); },
  '/huge': (req, res) => {
    res.setHeader('content-type', 'text/html');
    res.write('<html><head><script>');
    res.write('x'.repeat(HOLD_LIMIT + 10));
    res.end('</script></head><body></body></html>');
  },
};

function get(port, path, { method = 'GET', headers = { accept: 'text/html' } } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, timeout: 10000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

describe('ng-annotate:html puts the overlay into pages the framework renders', () => {
  let server, port, warnings;
  before(async () => {
    warnings = [];
    const told = new Set();
    const middleware = overlayMiddleware({
      tag: TAG,
      skip: (url) => url.startsWith('/__annotate'),
      warnOnce: (key, line) => { if (!told.has(key)) { told.add(key); warnings.push(line); } },
    });
    server = createServer((req, res) => middleware(req, res, () => {
      const route = routes[req.url];
      if (route) route(req, res);
      else { res.writeHead(404); res.end(); }
    }));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    port = server.address().port;
  });
  after(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));

  const withTag = PAGE.replace('</head>', `${TAG}</head>`);

  it('a whole page: the tag before </head>, the Content-Length Node sets fits the new body', async () => {
    const r = await get(port, '/whole');
    assert.equal(r.body.toString(), withTag);
    if (r.headers['content-length']) assert.equal(Number(r.headers['content-length']), r.body.length);
  });

  it('a page with its own Content-Length (writeHead headers, object and raw forms): the length no longer lies', async () => {
    for (const path of ['/length', '/raw-headers']) {
      const r = await get(port, path);
      assert.equal(r.body.toString(), withTag, path);
      assert.equal(r.headers['content-length'], undefined, path);
      assert.equal(r.headers['transfer-encoding'], 'chunked', path);
    }
  });

  it('a streamed page with </head> split across writes: the tag once, every byte kept, in order', async () => {
    const r = await get(port, '/stream');
    assert.equal(r.body.toString(), withTag);
  });

  it('no head: at the start of the body; a fragment: left alone, silently; a page with neither: left alone, said once', async () => {
    const before = warnings.length;
    assert.equal((await get(port, '/no-head')).body.toString(), `<html><body class="x">${TAG}<p>hi</p></body></html>`);
    assert.equal((await get(port, '/fragment')).body.toString(), '<li>one</li>');
    assert.equal(warnings.length, before);
    for (let i = 0; i < 2; i++) {
      assert.equal((await get(port, '/nothing-to-find')).body.toString(), '<html><p>no head, no body</p></html>');
    }
    assert.equal(warnings.length, before + 1);
    assert.match(warnings.at(-1), /\/nothing-to-find is an HTML page with no <\/head> or <body>.*Give the page a <head>/);
  });

  it('a page that already has the tag (Vite\'s index.html) gets no second one', async () => {
    const r = await get(port, '/already');
    assert.equal(r.body.toString().split(TAG).length - 1, 1);
  });

  it('a page request reaches the framework without Accept-Encoding; other requests keep theirs', async () => {
    const page = await get(port, '/accept-encoding', { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    assert.equal(JSON.parse(page.body), null);
    const asset = await get(port, '/accept-encoding', { headers: { accept: '*/*', 'accept-encoding': 'gzip' } });
    assert.equal(JSON.parse(asset.body), 'gzip');
  });

  it('a request for a script, style or image (Sec-Fetch-Dest) is left alone even if HTML answers it; documents, frames and fetch() are watched', async () => {
    for (const dest of ['script', 'style', 'image', 'font', 'worker']) {
      const r = await get(port, '/whole', { headers: { accept: '*/*', 'sec-fetch-dest': dest } });
      assert.equal(r.body.toString(), PAGE, dest);
      assert.equal(r.headers['content-length'], String(Buffer.byteLength(PAGE)), dest);
    }
    for (const dest of ['document', 'iframe', 'empty']) {
      const r = await get(port, '/whole', { headers: { accept: 'text/html', 'sec-fetch-dest': dest } });
      assert.equal(r.body.toString(), withTag, dest);
    }
  });

  it('not HTML, a 304, a HEAD: byte for byte as the framework sent them', async () => {
    const json = await get(port, '/json');
    assert.equal(json.body.toString(), '{"head":"</head>"}');
    assert.equal(json.headers['content-length'], String(json.body.length));
    assert.equal((await get(port, '/not-modified')).status, 304);
    const head = await get(port, '/whole', { method: 'HEAD' });
    assert.equal(head.body.length, 0);
  });

  it('what it cannot do it says once, with the fix: a compressed page (passed on intact), a head past the hold limit', async () => {
    const before = warnings.length;
    for (let i = 0; i < 2; i++) {
      const r = await get(port, '/gzip');
      assert.equal(r.headers['content-encoding'], 'gzip');
      assert.equal(r.body.length > 0, true);
    }
    const gz = warnings.slice(before);
    assert.equal(gz.length, 1, gz.join('\n'));
    assert.match(gz[0], /\/gzip came back gzip-compressed.*Turn compression off in development/);

    const huge = await get(port, '/huge');
    assert.equal(huge.body.length, Buffer.byteLength('<html><head><script></script></head><body></body></html>') + HOLD_LIMIT + 10);
    assert.ok(!huge.body.toString().includes(TAG));
    assert.match(warnings.at(-1), /\/huge is HTML with no <\/head> or <body> in its first 1024 KiB.*yourself/);
  });

  it('while ng-annotate is off (no binary, daemon failed), pages pass untouched', async () => {
    const off = overlayMiddleware({ tag: TAG, enabled: () => false, warnOnce: () => {} });
    const srv = createServer((req, res) => off(req, res, () => routes['/whole'](req, res)));
    await new Promise((r) => srv.listen(0, '127.0.0.1', r));
    try {
      assert.equal((await get(srv.address().port, '/whole')).body.toString(), PAGE);
    } finally {
      await new Promise((r) => { srv.closeAllConnections(); srv.close(r); });
    }
  });
});
