// React, through the fiber React attaches to DOM nodes in development.
// Source location: React 18's `_debugSource`, else (React 19, which dropped it)
// the first frame of the JSX element's `_debugStack` that is app code.
import { rootRelative } from './paths.js';
import { propsToInputs } from './serialize.js';
import { formatLocation } from './stamp.js';
import { originalPosition } from './sourcemap.js';

export function fiberOf(el) {
  for (const k in el) if (k.startsWith('__reactFiber$') || k.startsWith('__reactInternalInstance$')) return el[k];
  return null;
}
export const nameOf = (type) => type && (type.displayName || type.name ||
  (type.render && (type.render.displayName || type.render.name)) || (type.type && nameOf(type.type))) || null;
const isComponent = (f) => typeof f.type === 'function' || (f.type && typeof f.type === 'object' && !!nameOf(f.type));

function componentFiber(fiber) {
  for (let f = fiber; f; f = f.return) if (isComponent(f)) return f;
  return null;
}
// The component's DOM nodes: the first host fiber of each child branch.
function hostNodes(fiber, max = 20) {
  const out = [];
  const walk = (f) => {
    for (let c = f.child; c && out.length < max; c = c.sibling) {
      if (c.stateNode instanceof Element) out.push(c.stateNode);
      else if (!(c.stateNode instanceof Node)) walk(c);
    }
  };
  walk(fiber);
  return out;
}

// "at X (http://localhost:5173/src/UserCard.tsx?t=1:9:20)" → {file, line, column}
// for the first frame outside React and node_modules.
export function frameFromStack(stack) {
  if (!stack) return null;
  for (const line of String(stack).split('\n').slice(1)) {
    const m = /\(?((?:https?|file|webpack[\w-]*):\/\/[^\s)]+?|\/[^\s):]+?):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const url = m[1];
    if (/\/node_modules\/|\/\.vite\/deps\/|react-dom|react-jsx|jsx-dev-runtime|\/@react-refresh|react-stack-top-frame/.test(url)) continue;
    // A position in the served (transformed) module: `url` lets a source map correct it.
    return { file: rootRelative(url), line: Number(m[2]), column: Number(m[3]), url };
  }
  return null;
}
function stackOf(fiber) {
  const s = fiber && fiber._debugStack;
  if (!s) return null;
  try { return typeof s === 'string' ? s : s.stack; } catch { return null; }
}
// Where the JSX that made `fiber` was written.
function jsxLocation(fiber) {
  const src = fiber && fiber._debugSource;
  if (src && src.fileName) {
    return { file: rootRelative(src.fileName), line: Number(src.lineNumber), column: src.columnNumber != null ? Number(src.columnNumber) : null };
  }
  return frameFromStack(stackOf(fiber));
}
// The first fiber below `cf` (breadth-first, bounded) whose owner is `cf`:
// its JSX sits in the component's own file.
function ownedBy(cf, preferred) {
  if (preferred && preferred._debugOwner === cf) return preferred;
  const queue = cf.child ? [cf.child] : [];
  for (let seen = 0; queue.length && seen < 300; seen++) {
    const f = queue.shift();
    if (f._debugOwner === cf) return f;
    if (f.child) queue.push(f.child);
    if (f.sibling) queue.push(f.sibling);
  }
  return null;
}

export function locate(target) {
  for (let n = target, depth = 0; n && n.nodeType === 1 && depth < 50; n = n.parentElement, depth++) {
    const fiber = fiberOf(n);
    if (!fiber) continue;
    const cf = componentFiber(fiber);
    if (!cf) return null;
    const hosts = hostNodes(cf);
    // React 18 puts the component's own source on its fiber; React 19 only on the JSX inside it.
    const own = cf._debugSource ? null : ownedBy(cf, fiber);
    const where = cf._debugSource ? jsxLocation(cf) : jsxLocation(own);
    return {
      framework: 'react', host: hosts[0] || n, extraHosts: hosts.slice(1), name: nameOf(cf.type) || 'Anonymous',
      file: where ? where.file : '', fiber: cf, domFiber: fiber, where,
    };
  }
  return null;
}

export function describe(loc, ctx) {
  ctx.inputs = propsToInputs(loc.fiber.memoizedProps || {});
  // The clicked element's own JSX when the component wrote it, else the component's.
  const mine = loc.domFiber && loc.domFiber._debugOwner === loc.fiber ? jsxLocation(loc.domFiber) : null;
  const at = mine || loc.where;
  if (at) ctx.sourceLocation = formatLocation(at);
  // Stack positions are in the served code: the module's source map gives the written line.
  if (at && at.url) {
    ctx.refine = () => originalPosition(at.url, at.line, at.column)
      .then((p) => (p ? formatLocation({ file: at.file, line: p.line, column: p.column }) : null));
  }
  for (let f = loc.fiber.return; f; f = f.return) {
    if (isComponent(f)) ctx.componentTreePath.unshift(nameOf(f.type) || 'Anonymous');
  }
  ctx.snapshotElements = [loc.host, ...(loc.extraHosts || [])];
}
