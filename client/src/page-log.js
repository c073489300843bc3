// What the page said (issue 18): console errors and warnings, uncaught errors
// and unhandled rejections, failed requests (fetch, XHR, resources). Kept
// from the moment the overlay loads, the last LOG_ENTRIES of each list, each
// string cut, so the log stays small; sent with an annotation unless the user
// unticks it. Everything here is text the page wrote: the server and the
// agent treat it as data.
//
// Missed: whatever the page logged or threw before this script ran (the
// overlay loads after the app in some setups). Failed resources from before
// are recovered from Resource Timing where the browser reports a status
// (Chromium: `responseStatus`); console messages and errors from before are
// lost.
//
// The hooks live in the first chunk (they must run from page load); the copy
// sent with an annotation is made by lazy/page-log-snapshot.js.
import { keepOriginalFetch } from './raw-fetch.js';

export const LOG_ENTRIES = 50;
export const MESSAGE_CHARS = 2000, STACK_CHARS = 4000, URL_CHARS = 2048, SHORT_CHARS = 256;
const CUT = '…[truncated]';
export const cut = (s, max) => { s = String(s); return s.length > max ? s.slice(0, max - CUT.length) + CUT : s; };

const lists = { console: [], errors: [], requests: [] };
const dropped = { console: 0, errors: 0, requests: 0 };
let installed = false;

function push(list, entry) {
  entry.time = new Date().toISOString();
  lists[list].push(entry);
  if (lists[list].length > LOG_ENTRIES) { lists[list].shift(); dropped[list]++; }
}

// Our own traffic (the overlay's WebSocket endpoint, health, source maps) is not the page's.
export const ours = (url) => /\/__annotate(\/|$|\?)/.test(String(url));

function text(value) {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  try { return JSON.stringify(value) ?? String(value); } catch { return String(value); }
}

function hookConsole() {
  for (const level of ['error', 'warn']) {
    const original = console[level];
    if (typeof original !== 'function') continue;
    console[level] = function (...args) {
      try { push('console', { level, message: cut(args.map(text).join(' '), MESSAGE_CHARS) }); } catch { /* never break the page's logging */ }
      return original.apply(this, args);
    };
  }
}

function errorEntry(kind, value, fallbackMessage) {
  const entry = { kind, message: cut(value instanceof Error ? `${value.name}: ${value.message}` : (fallbackMessage || text(value)), MESSAGE_CHARS) };
  if (value && typeof value.stack === 'string') entry.stack = cut(value.stack, STACK_CHARS);
  return entry;
}

function hookErrors() {
  // Capture phase: resource load errors (img, script, link) do not bubble.
  window.addEventListener('error', (e) => {
    const el = e.target;
    if (el && el !== window && el.nodeType === 1) {
      const url = el.src || el.href || '';
      if (url && !ours(url)) push('requests', { kind: 'resource', method: 'GET', url: cut(url, URL_CHARS), error: `${el.tagName.toLowerCase()} failed to load` });
      return;
    }
    const entry = errorEntry('error', e.error, e.message);
    if (!entry.stack && e.filename) entry.stack = `at ${e.filename}:${e.lineno}:${e.colno}`;
    push('errors', entry);
  }, true);
  window.addEventListener('unhandledrejection', (e) => push('errors', errorEntry('rejection', e.reason)));
}

function hookFetch() {
  const original = window.fetch;
  if (typeof original !== 'function') return;
  keepOriginalFetch(original);
  window.fetch = function (input, init) {
    const url = String(input && typeof input === 'object' && 'url' in input ? input.url : input);
    const method = String((init && init.method) || (input && typeof input === 'object' && input.method) || 'GET').toUpperCase();
    const promise = original.apply(this, arguments);
    if (ours(url)) return promise;
    const resolved = (() => { try { return new URL(url, location.href).href; } catch { return url; } })();
    promise.then((res) => {
      if (res.status >= 400) push('requests', { kind: 'fetch', method: cut(method, SHORT_CHARS), url: cut(resolved, URL_CHARS), status: res.status });
    }, (err) => {
      if (err && err.name === 'AbortError') return;
      push('requests', { kind: 'fetch', method: cut(method, SHORT_CHARS), url: cut(resolved, URL_CHARS), error: cut(text(err), SHORT_CHARS) });
    });
    return promise;
  };
}

function hookXhr() {
  const proto = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
  if (!proto) return;
  const open = proto.open, send = proto.send;
  proto.open = function (method, url) {
    this.__ngaRequest = { method: String(method || 'GET').toUpperCase(), url: String(url) };
    return open.apply(this, arguments);
  };
  proto.send = function () {
    const req = this.__ngaRequest;
    if (req && !ours(req.url)) {
      this.addEventListener('loadend', () => {
        let url = this.responseURL || req.url;
        try { url = new URL(url, location.href).href; } catch { /* keep it as the page wrote it */ }
        url = cut(url, URL_CHARS);
        const method = cut(req.method, SHORT_CHARS);
        if (this.status >= 400) push('requests', { kind: 'xhr', method, url, status: this.status });
        else if (this.status === 0) push('requests', { kind: 'xhr', method, url, error: 'network error or aborted' });
      });
    }
    return send.apply(this, arguments);
  };
}

// Resources that failed before the overlay loaded, where the browser says so.
function earlierResources() {
  try {
    for (const r of performance.getEntriesByType('resource')) {
      if (typeof r.responseStatus === 'number' && r.responseStatus >= 400 && !ours(r.name)) {
        const kind = r.initiatorType === 'fetch' ? 'fetch' : r.initiatorType === 'xmlhttprequest' ? 'xhr' : 'resource';
        push('requests', { kind, method: 'GET', url: cut(r.name, URL_CHARS), status: r.responseStatus });
      }
    }
  } catch { /* no Resource Timing */ }
}

// Installs the hooks once. Call it first thing when the overlay loads.
export function installPageLog() {
  if (installed || typeof window === 'undefined') return;
  installed = true;
  earlierResources();
  hookConsole();
  hookErrors();
  hookFetch();
  hookXhr();
}

export function pageLogCounts() {
  return { console: lists.console.length, errors: lists.errors.length, requests: lists.requests.length };
}

// The lists as they are now, and how many fell off each: read, never changed, by the snapshot.
export function pageLogEntries() {
  return { lists, dropped };
}
