// File paths relative to the project root, with forward slashes (SPEC §3),
// from whatever a framework gives: absolute paths, dev-server URLs
// (http://localhost:5173/src/App.tsx?t=1, /@fs/abs/path), webpack:// names.
import { state } from '../state.js';

export const baseName = (file) => String(file || '').split(/[\\/]/).pop().replace(/\.[^.]+$/, '');

const normalizeRoot = (r) => String(r).replace(/\\/g, '/').replace(/\/+$/, '');

export function setRoot(root) {
  if (typeof root === 'string' && root) state.root = normalizeRoot(root);
}

// `file` is absolute and ends with the root-relative `rel` (known from a
// source stamp): what comes before is the root.
export function learnRootFrom(absFile, rel) {
  if (state.root || !absFile || !rel) return;
  const abs = String(absFile).replace(/\\/g, '/');
  if (abs.endsWith('/' + rel)) setRoot(abs.slice(0, abs.length - rel.length - 1) || '/');
}

const isAbsolute = (f) => f.startsWith('/') || /^[A-Za-z]:\//.test(f);

// Root-relative path, or '' when nothing usable was given.
export function rootRelative(file) {
  if (!file) return '';
  let f = String(file).replace(/\\/g, '/');
  let fromUrl = false;
  const url = /^(https?|webpack|webpack-internal|file):\/\/\/?/i.exec(f);
  if (url) {
    if (/^file:/i.test(f)) {
      f = decodeURIComponent(f.replace(/^file:\/\//i, ''));
    } else if (/^https?:/i.test(f)) {
      try { f = decodeURIComponent(new URL(f).pathname); } catch { /* keep */ }
      fromUrl = true;
    } else {
      f = f.slice(url[0].length).replace(/^[^/]*\/\.\//, '').replace(/^\.\//, '');
    }
  }
  f = f.replace(/[?#].*$/, '');
  if (f.startsWith('/@fs/')) { f = f.slice(4); fromUrl = false; }
  if (/^\/[A-Za-z]:\//.test(f)) f = f.slice(1);
  const root = state.root;
  if (root && (f === root || f.startsWith(root + '/'))) return f.slice(root.length + 1);
  if (fromUrl) return f.replace(/^\/+/, ''); // a dev-server URL path is relative to its root
  if (!isAbsolute(f)) return f.replace(/^\.\//, '');
  // An absolute path outside a known root: the last src/ (or app/, lib/) tree is our best guess.
  const m = /\/((?:src|app|lib|pages|components)\/.*)$/.exec(f);
  return m ? m[1] : f;
}

// Asks the server for the root, when it is reachable without CORS (same origin:
// a dev server forwarding /__annotate, or the proxy).
export function fetchRoot(origin) {
  if (origin !== location.origin || typeof fetch !== 'function') return;
  fetch(origin + '/__annotate/health', { cache: 'no-store', credentials: 'omit' })
    .then((r) => (r.ok ? r.json() : null))
    .then((health) => { if (health && health.root) setRoot(health.root); })
    .catch(() => {});
}
