// Maps a position in a dev server's transformed module back to the source
// file, through the module's source map (inline data: URL or a linked .map;
// an index map's `sections`, as Turbopack writes them, too). Used for React
// 19's `_debugStack`, whose frames point into the code Vite, webpack or
// Turbopack served, not into what the user wrote. A server component's frame
// names a file on the server: Next's dev server hands out its map at
// `/__nextjs_source-map`. Fetches only same-origin URLs, once each; any
// failure means "no better answer".

import { rawFetch } from '../raw-fetch.js';
import { serverFileUrl } from './frames.js';

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
  if (Array.isArray(map.sections)) return lookupSections(map.sections, line, column);
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
  const source = (map.sources || [])[best.source];
  return { source: source != null && map.sourceRoot ? map.sourceRoot.replace(/\/?$/, '/') + source : source, line: best.line, column: best.column };
}

// An index map: the last section starting at or before the position holds it.
function lookupSections(sections, line, column) {
  let hit = null;
  for (const s of sections) {
    const o = s.offset || { line: 0, column: 0 };
    if (o.line < line || (o.line === line && o.column <= column)) hit = s; else break;
  }
  if (!hit || !hit.map) return null;
  const o = hit.offset || { line: 0, column: 0 };
  return lookup(hit.map, line - o.line, line === o.line ? column - o.column : column);
}

async function loadMap(url) {
  if (!/^https?:/i.test(url)) {
    // A file on the server, or webpack's eval'd module: only the dev server has its map.
    const r = await rawFetch(`${location.origin}/__nextjs_source-map?filename=${encodeURIComponent(serverFileUrl(url) || url)}`, { credentials: 'same-origin' });
    return r.ok && r.status !== 204 ? r.json() : null;
  }
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
  if (typeof fetch !== 'function') return null;
  let key = url;
  if (/^(?:https?:|\/)/i.test(url) && !serverFileUrl(url)) {
    let u;
    try { u = new URL(url, location.href); } catch { return null; }
    if (u.origin !== location.origin) return null;
    key = u.href;
  }
  if (!cache.has(key)) cache.set(key, loadMap(key).catch(() => null));
  const map = await cache.get(key);
  if (!map) return null;
  const hit = lookup(map, line - 1, column - 1);
  return hit ? { line: hit.line + 1, column: hit.column + 1, source: hit.source } : null;
}
