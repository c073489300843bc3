// Maps a position in a dev server's transformed module back to the source
// file, through the module's source map (inline data: URL or a linked .map).
// Used for React 19's `_debugStack`, whose frames point into the code Vite (or
// another dev server) served, not into what the user wrote. Fetches only
// same-origin modules, once each; any failure means "no better answer".

import { rawFetch } from '../raw-fetch.js';

const cache = new Map(); // module URL -> Promise<map|null>
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeVlq(segment) {
  const out = [];
  let value = 0, shift = 0;
  for (const ch of segment) {
    const digit = B64.indexOf(ch);
    if (digit < 0) return null;
    value += (digit & 31) << shift;
    if (digit & 32) { shift += 5; continue; }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0; shift = 0;
  }
  return out;
}

// The original {source, line, column} (0-based) of generated line/column (0-based).
export function lookup(map, line, column) {
  const lines = String(map.mappings || '').split(';');
  let src = 0, oLine = 0, oCol = 0;
  let best = null;
  for (let l = 0; l < lines.length && l <= line; l++) {
    let gCol = 0;
    for (const seg of lines[l].split(',')) {
      if (!seg) continue;
      const v = decodeVlq(seg);
      if (!v) return null;
      gCol += v[0];
      if (v.length >= 4) { src += v[1]; oLine += v[2]; oCol += v[3]; }
      if (l === line && v.length >= 4 && gCol <= column) best = { source: src, line: oLine, column: oCol };
    }
  }
  if (!best) return null;
  return { source: (map.sources || [])[best.source], line: best.line, column: best.column };
}

async function loadMap(url) {
  const res = await rawFetch(url, { credentials: 'same-origin' });
  if (!res.ok) return null;
  const code = await res.text();
  const m = /\/\/[#@] sourceMappingURL=(\S+)\s*$/.exec(code);
  if (!m) return null;
  const ref = m[1];
  if (ref.startsWith('data:')) {
    const comma = ref.indexOf(',');
    const body = ref.slice(comma + 1);
    const text = /;base64/.test(ref.slice(0, comma)) ? new TextDecoder().decode(Uint8Array.from(atob(body), (c) => c.charCodeAt(0))) : decodeURIComponent(body);
    return JSON.parse(text);
  }
  const mapUrl = new URL(ref, url);
  if (mapUrl.origin !== location.origin) return null;
  const mr = await rawFetch(mapUrl, { credentials: 'same-origin' });
  return mr.ok ? mr.json() : null;
}

// {line, column} (1-based) in the original source of `url` at line:column
// (1-based, as in a stack frame), or null.
export async function originalPosition(url, line, column) {
  let u;
  try { u = new URL(url, location.href); } catch { return null; }
  if (u.origin !== location.origin || typeof fetch !== 'function') return null;
  if (!cache.has(u.href)) cache.set(u.href, loadMap(u.href).catch(() => null));
  const map = await cache.get(u.href);
  if (!map) return null;
  const hit = lookup(map, line - 1, column - 1);
  return hit ? { line: hit.line + 1, column: hit.column + 1, source: hit.source } : null;
}
