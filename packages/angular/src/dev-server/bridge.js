'use strict';
// The bridge between Angular's dev server and the ng-annotate daemon: a
// middleware for /__annotate/* HTTP, an upgrade listener for the /__annotate
// WebSocket (Angular's own HMR/live-reload socket is left to Vite), the overlay
// tag for the served index, and the dev server's origins told to the daemon.
const PREFIX = '/__annotate';
// Our overlay POSTs here (the page URL as the body) when it finds
// ng-annotate-mcp's overlay on the page and steps aside
// (client/src/coexist.js): the dev log says so, once per page.
const NOTICE_PATH = `${PREFIX}/notice/foreign-overlay`;

function pathOf(url) {
  return (url ?? '').split('?')[0];
}

function isOurPath(url) {
  const p = pathOf(url);
  return p === PREFIX || p.startsWith(`${PREFIX}/`);
}

/** Browser origins a page served at `baseUrl` can have: the URL's own, plus the loopback names for its port. */
function originsFor(baseUrl) {
  if (!baseUrl) return [];
  let url;
  try {
    url = new URL(baseUrl);
  } catch {
    return [];
  }
  const origins = new Set([url.origin]);
  const loopback = ['localhost', '127.0.0.1', '[::1]', '0.0.0.0', '[::]'];
  if (loopback.includes(url.hostname)) {
    for (const name of ['localhost', '127.0.0.1', '[::1]']) origins.add(`${url.protocol}//${name}:${url.port}`);
  }
  return [...origins];
}

function injectOverlay(html, tag) {
  if (html.includes(`${PREFIX}/client.js`)) return html;
  const at = html.search(/<\/head>/i);
  if (at >= 0) return `${html.slice(0, at)}${tag}\n${html.slice(at)}`;
  const body = html.search(/<\/body>/i);
  if (body >= 0) return `${html.slice(0, body)}${tag}\n${html.slice(body)}`;
  return `${html}\n${tag}\n`;
}

function noticeLine(pageUrl) {
  const page = pageUrl ? `${pageUrl} runs` : 'a page runs';
  return `[ng-annotate] ${page} ng-annotate-mcp's overlay (NgAnnotateModule or provideNgAnnotate() of ` +
    "ng-annotate-mcp's @ng-annotate/angular): ng-annotate's overlay stays off on that page. " +
    "If this app should use ng-annotate's, make sure node_modules/@ng-annotate/angular is ng-annotate's.";
}

/** Reads a small request body (a page URL), bounded; resolves '' on any error. */
function readSmallBody(req, limit = 2048) {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > limit) {
        req.destroy();
        resolve(body.slice(0, limit));
      }
    });
    req.on('end', () => resolve(body));
    req.on('error', () => resolve(''));
  });
}

function plainError(res, status, message) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(`ng-annotate: ${message}\n`);
}

function rejectUpgrade(socket, status, text) {
  const body = `ng-annotate: ${text}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${status === 502 ? 'Bad Gateway' : 'Error'}\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * @param {object} o
 * @param {() => Promise<object>} o.daemon  resolves to the C1 daemon handle (url, port, owned, stop())
 * @param {object} o.lib                    the shared daemon module (forwardUpgrade, forwardHttp, overlayTag)
 * @param {{info: Function, warn: Function, error: Function}} o.log
 * @param {true|string[]} [o.allowedHosts]  the dev server's allowedHosts, for the forwarder's Host check
 */
function createBridge({ daemon, lib, log, allowedHosts }) {
  const servers = new WeakSet();
  const said = new Set();
  // Each distinct failure is logged once, not once per request.
  const failed = (what, error) => {
    const line = `[ng-annotate] ${what}: ${error.message}`;
    if (said.has(line)) return;
    said.add(line);
    log.error(line);
  };

  function onUpgrade(req, socket, head) {
    if (pathOf(req.url) !== PREFIX) return; // Vite's HMR socket and anything else: not ours
    socket.on('error', () => socket.destroy());
    daemon().then(
      (handle) => lib.forwardUpgrade(req, socket, head, handle, { allowedHosts }),
      (error) => {
        failed('cannot forward the overlay socket', error);
        if (!socket.destroyed) rejectUpgrade(socket, 502, error.message);
      },
    );
  }

  // Angular's public extension points give a middleware, not the server: the
  // server is the one the first request arrived on (the page, before its overlay
  // opens a socket). Every server is watched once.
  function watchServer(server) {
    if (!server || servers.has(server)) return;
    servers.add(server);
    server.on('upgrade', onUpgrade);
  }

  const pagesTold = new Set();
  function middleware(req, res, next) {
    watchServer(req.socket?.server);
    if (!isOurPath(req.url)) {
      next();
      return;
    }
    if (req.method === 'POST' && pathOf(req.url) === NOTICE_PATH) {
      readSmallBody(req).then((page) => {
        if (!pagesTold.has(page)) {
          pagesTold.add(page);
          log.warn(noticeLine(page));
        }
        res.statusCode = 204;
        res.end();
      });
      return;
    }
    daemon().then(
      (handle) => lib.forwardHttp(req, res, handle, { allowedHosts }),
      (error) => {
        failed('cannot forward /__annotate requests', error);
        plainError(res, 502, error.message);
      },
    );
  }

  const tag = typeof lib.overlayTag === 'function' ? lib.overlayTag() : `<script src="${PREFIX}/client.js"></script>`;
  const indexHtmlTransformer = async (html) => injectOverlay(html, tag);

  return { middleware, indexHtmlTransformer, watchServer };
}

module.exports = { createBridge, originsFor, injectOverlay, isOurPath, NOTICE_PATH };
