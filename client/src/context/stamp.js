// Compile-time source stamps (contract C4): `data-nga-src="<root-relative
// file>:<line>:<column>"` on elements rendered by components in `vite dev`,
// and Angular's `data-ng-source-location` when its compiler emits it.

export const STAMP_ATTR = 'data-nga-src';

// {file, line, column} or null.
export function parseStamp(value) {
  const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(String(value || ''));
  if (!m) return null;
  return { file: m[1], line: Number(m[2]), column: m[3] ? Number(m[3]) : null };
}

export const formatLocation = (loc) => loc ? `${loc.file}:${loc.line}` + (loc.column != null ? `:${loc.column}` : '') : '';

// The nearest stamp: on `el`, else its closest stamped ancestor inside `within`
// (the component's host), never above it.
export function nearestStamp(el, within) {
  for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
    const v = n.getAttribute(STAMP_ATTR);
    if (v) { const s = parseStamp(v); if (s) return { ...s, element: n }; }
    if (n === within) break;
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
