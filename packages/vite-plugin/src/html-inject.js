// The middleware behind ng-annotate:html (./html-plugin.js): puts `tag`
// into every text/html answer that passes through, before `</head>` (at the
// start of the body when there is no head), streaming. Plain Node, no Vite
// and no other import, so that it can be tested on a node:http server.
//
// Only the bytes up to `</head>` are held (at most HOLD_LIMIT); then every
// write is passed on as it comes. A page's Content-Length is dropped (the
// answer goes chunked). A page request loses its Accept-Encoding on the way
// in, so the framework answers in text; a page that is compressed anyway,
// or has no head or body in its first HOLD_LIMIT bytes, passes on intact and
// `warnOnce` names it with the fix. A page that already holds the tag's
// script path (Vite's index.html) is left as it is.

export const HOLD_LIMIT = 1024 * 1024;

// What a browser fetches a page as (Sec-Fetch-Dest): a document or a frame,
// or `empty` for fetch() (client-side routers fetch the next page's HTML).
// A request for a script, style, image or font is a subresource: a dev
// server answers a thousand of them per page load, so they are not watched
// (issue 22: in a CPU profile of a React warm start, patching each response
// took 40-90 ms of the dev server's 6-9 s). A request without the header
// (curl, an older browser) is.
const PAGE_DESTINATIONS = new Set(['document', 'iframe', 'frame', 'embed', 'object', 'empty']);
export function mayBePage(req) {
  const dest = req.headers['sec-fetch-dest'];
  return dest === undefined || PAGE_DESTINATIONS.has(String(dest).toLowerCase());
}

const HEAD_END = /<\/head\s*>/i;
const BODY_START = /<body\b[^>]*>/i;

// The Connect middleware. `enabled()` is asked per request (the daemon may
// fail to start after the server listens); `skip(url)`: requests left alone;
// `warnOnce(key, line)` logs a line once per key.
export function overlayMiddleware({ tag, warnOnce, enabled = () => true, skip = () => false }) {
  const scriptPath = /src="([^"]+)"/.exec(tag)?.[1] ?? tag;
  return (req, res, next) => {
    if (!enabled() || req.method === 'HEAD' || !mayBePage(req) || skip(req.url)) return next();
    if (/text\/html/i.test(req.headers.accept ?? '')) {
      // A page request: ask for the text as it is, as the proxy does.
      delete req.headers['accept-encoding'];
    }
    rewriteHtml(req, res, { tag, scriptPath, warnOnce });
    return next();
  };
}

function isHtml(res) {
  return /^\s*text\/html\b/i.test(String(res.getHeader('content-type') ?? ''));
}

// Patches `res` so that an HTML answer gets `tag`. Everything else passes
// through untouched. The patches stay in place (a middleware after this one
// may have wrapped them in turn) and, once decided, only delegate.
function rewriteHtml(req, res, { tag, scriptPath, warnOnce }) {
  const original = { writeHead: res.writeHead, write: res.write, end: res.end };
  let mode = 'undecided'; // 'undecided' → 'hold' (an HTML page, up to </head>) | 'pass'
  let held = [];
  let heldBytes = 0;
  const page = () => (req.originalUrl ?? req.url ?? '/').split('?')[0];

  // Decides at the moment the headers go out: before that, the framework may
  // still set any of them.
  const decide = (status) => {
    const bodyless = status === 204 || status === 304 || (status >= 100 && status < 200);
    mode = 'pass';
    if (bodyless || !isHtml(res)) return;
    const encoding = String(res.getHeader('content-encoding') ?? 'identity').toLowerCase();
    if (encoding !== 'identity') {
      warnOnce(`encoding:${encoding}`, `[ng-annotate] ${page()} came back ${encoding}-compressed, so the overlay ` +
        'could not be put into it. Turn compression off in development (the overlay needs the HTML as text), ' +
        `or add ${tag} to the page's <head> yourself.`);
      return;
    }
    mode = 'hold';
    res.removeHeader('content-length'); // the page grows by the tag: chunked instead
  };

  res.writeHead = function writeHead(status, ...rest) {
    if (mode === 'undecided') {
      // writeHead(status, [message], [headers]): move the headers onto `res`
      // so that they can be read and changed here.
      const headers = rest.find((a) => a && typeof a === 'object');
      if (headers) {
        const pairs = Array.isArray(headers) ? toPairs(headers) : Object.entries(headers);
        for (const [k, v] of pairs) if (v !== undefined) res.setHeader(k, v);
        rest = rest.filter((a) => a !== headers);
      }
      decide(status);
    }
    return original.writeHead.call(res, status, ...rest);
  };

  // What is held, with the tag in it, as one buffer (null when empty).
  const release = (stage) => {
    const all = Buffer.concat(held);
    held = [];
    heldBytes = 0;
    mode = 'pass';
    return all.length ? withTag(all, { tag, scriptPath, page, warnOnce }, stage) : null;
  };

  res.write = function write(chunk, encoding, callback) {
    if (mode === 'undecided' && !res.headersSent) res.writeHead(res.statusCode);
    if (mode !== 'hold') return original.write.call(res, chunk, encoding, callback);
    const done = typeof encoding === 'function' ? encoding : callback;
    const buffer = toBuffer(chunk, encoding);
    held.push(buffer);
    heldBytes += buffer.length;
    const headEnds = HEAD_END.test(Buffer.concat(held).toString('latin1'));
    if (headEnds || heldBytes > HOLD_LIMIT) {
      return original.write.call(res, release(headEnds ? 'head' : 'final'), done);
    }
    if (typeof done === 'function') process.nextTick(done);
    return true;
  };

  res.end = function end(chunk, encoding, callback) {
    if (typeof chunk === 'function') return res.end(undefined, undefined, chunk);
    if (typeof encoding === 'function') return res.end(chunk, undefined, encoding);
    if (mode === 'undecided' && !res.headersSent) {
      // One whole body. Not a page: left to Node as it was (Content-Length and all).
      if (!isHtml(res)) mode = 'pass';
      else res.writeHead(res.statusCode);
    }
    if (mode !== 'hold') return original.end.call(res, chunk, encoding, callback);
    if (chunk !== undefined && chunk !== null) held.push(toBuffer(chunk, encoding));
    const out = release('final');
    return out ? original.end.call(res, out, callback) : original.end.call(res, callback);
  };
}

// `buffer` with the tag inserted. `stage` 'head': `</head>` is in it; 'final':
// the tag goes before `</head>`, else after `<body…>`, else (a fragment, not
// a page) nowhere, and only a page that had none of them is reported.
function withTag(buffer, { tag, scriptPath, page, warnOnce }, stage) {
  const text = buffer.toString('latin1');
  if (text.includes(scriptPath)) return buffer; // already there (Vite's index.html)
  let at = -1;
  const headEnd = HEAD_END.exec(text);
  if (headEnd) at = headEnd.index;
  else if (stage === 'final') {
    const body = BODY_START.exec(text);
    if (body) at = body.index + body[0].length;
  }
  if (at < 0) {
    if (buffer.length > HOLD_LIMIT) {
      warnOnce('head-too-far', `[ng-annotate] ${page()} is HTML with no </head> or <body> in its first ` +
        `${HOLD_LIMIT / 1024} KiB, so the overlay could not be put into it. Add ${tag} near the top of the page's <head> yourself.`);
    } else if (/<html\b/i.test(text)) {
      warnOnce('no-head', `[ng-annotate] ${page()} is an HTML page with no </head> or <body>, so the overlay ` +
        `could not be put into it. Give the page a <head>, or add ${tag} to it yourself.`);
    }
    return buffer;
  }
  return Buffer.concat([buffer.subarray(0, at), Buffer.from(tag, 'latin1'), buffer.subarray(at)]);
}

function toBuffer(chunk, encoding) {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), typeof encoding === 'string' ? encoding : 'utf8');
}

// writeHead's raw form: [k, v, k, v, …] (or [[k, v], …]).
function toPairs(list) {
  if (list.length && Array.isArray(list[0])) return list;
  const pairs = [];
  for (let i = 0; i + 1 < list.length; i += 2) pairs.push([list[i], list[i + 1]]);
  return pairs;
}
