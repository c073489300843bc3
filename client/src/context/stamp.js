// Compile-time source stamps (contract C4): `data-nga-src="<root-relative
// file>:<line>:<column>"` on elements rendered by components in `vite dev`
// (Vue's compact `nga="<line>:<column>"` below it), and Angular's `data-ng-source-location` when its compiler emits it.

export const STAMP_ATTR = 'data-nga-src';

// {file, line, column} or null.
export function parseStamp(value) {
  const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(String(value || ''));
  if (!m) return null;
  return { file: m[1], line: Number(m[2]), column: m[3] ? Number(m[3]) : null };
}

export const formatLocation = (loc) => loc ? `${loc.file}:${loc.line}` + (loc.column != null ? `:${loc.column}` : '') : '';

// Vue's compact stamps (packages/vite-plugin/src/stamp.js): `nga="<line>:<col>"`
// on an element whose DOM parent is an element of the same template; the
// file is that of the nearest full stamp above it.
export const STAMP_SHORT_ATTR = 'nga';
const SHORT = /^(\d+):(\d+)$/;

// The nearest stamp: on `el`, else its closest stamped ancestor inside `within`
// (the component's host), never above it. A compact stamp takes its file from
// the full stamp that starts its chain (every element between carries one:
// one with none breaks the chain, and nothing is made up).
export function nearestStamp(el, within) {
  let pending = null;
  for (let n = el, depth = 0; n && n.nodeType === 1 && depth < 500; n = n.parentElement, depth++) {
    const v = n.getAttribute(STAMP_ATTR);
    if (v) {
      const s = parseStamp(v);
      if (s) return pending ? { ...pending, file: s.file } : { ...s, element: n };
    }
    const short = v ? null : n.getAttribute(STAMP_SHORT_ATTR);
    const m = short && SHORT.exec(short);
    if (m) {
      if (!pending) pending = { line: Number(m[1]), column: Number(m[2]), element: n };
    } else if (pending) {
      return null;
    }
    if (n === within && !pending) break;
  }
  return null;
}

// Angular's `data-ng-source-location="<file>@o:<offset>,l:<line>,c:<col>"`
// (0-based line and column in the template) → {file, line, column}, 1-based.
export function angularSourceLocation(el) {
  const v = el.getAttribute && el.getAttribute('data-ng-source-location');
  const m = v && /^(.*)@o:\d+,l:(\d+),c:(\d+)/.exec(v);
  return m ? { file: m[1], line: Number(m[2]) + 1, column: Number(m[3]) + 1 } : null;
}
