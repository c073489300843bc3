// React, through the fiber React attaches to DOM nodes in development.
// Source location: React 18's `_debugSource`, else (React 19, which dropped it)
// the first frame of the JSX element's `_debugStack` that is app code, mapped
// through the served module's source map when the frame is in a bundle.
// Server components (React 19, Next's App Router) have no fiber: the element's
// `_debugOwner` is then their component info ({name, env, props, owner, …}).
// Framework components (Next's routers and boundaries, React Router's route
// wrappers) are left out of the answer by where their code lives
// (frames.js), never by name.
import { rootRelative } from './paths.js';
import { propsToInputs } from './serialize.js';
import { formatLocation } from './stamp.js';
import { originalPosition } from './sourcemap.js';
import { appFrames, isBundleUrl, isFrameworkPlace, serverFileUrl } from './frames.js';

export function fiberOf(el) {
  for (const k in el) if (k.startsWith('__reactFiber$') || k.startsWith('__reactInternalInstance$')) return el[k];
  return null;
}
export const nameOf = (type) => type && (type.displayName || type.name ||
  (type.render && (type.render.displayName || type.render.name)) || (type.type && nameOf(type.type))) || null;

const CONTEXT_TYPES = new Set(['react.context', 'react.provider', 'react.consumer'].map((s) => Symbol.for(s)));
// A component the user could have written: a function (or memo/forwardRef of
// one), not a context provider or consumer.
const isComponent = (f) => !!f.type && (typeof f.type === 'function' ||
  (typeof f.type === 'object' && !CONTEXT_TYPES.has(f.type.$$typeof) && !!nameOf(f.type)));
// React 19's component info of a server component (a fiber has a `tag`).
const isServerInfo = (o) => !!o && typeof o === 'object' && !('tag' in o) && typeof o.name === 'string' && 'env' in o;

function stackText(s) {
  if (!s) return null;
  try { return typeof s === 'string' ? s : s.stack; } catch { return null; }
}
const stackOf = (fiber) => stackText(fiber && fiber._debugStack);

// Turbopack names sources "turbopack:///[project]/app/x.tsx".
const sourceFile = (source) => rootRelative(String(source || '').replace(/^turbopack:\/\/\/\[project\]\//, ''));

// The file a frame's URL names (a server component's frame wraps it).
const frameFile = (url) => rootRelative(serverFileUrl(url) || url);

// A map's relative source ("../src/x.tsx") against the bundle that names it.
function absoluteSource(source, url) {
  if (/^[a-z][\w+.-]*:/i.test(source) || source.startsWith('/')) return source;
  try { return new URL(source, url).href; } catch { return source; }
}

// The first app frame of a stack, with a file when its URL names one (a
// bundle's does not: its source map will, see refineFrames).
export function frameFromStack(stack) {
  const f = appFrames(stack)[0];
  if (!f) return null;
  return { file: isBundleUrl(f.url) ? '' : frameFile(f.url), line: f.line, column: f.column, url: f.url };
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
// Is this component the framework's? Its own JSX's stack says where its code
// lives (a component that made no element of its own: where it was made):
// the framework's when no frame of it is app code. Asked for every ancestor
// on hover, so remembered per fiber (and its alternate, the same component
// instance), with the first app frame, for the source map to confirm.
const judged = new WeakMap(); // fiber -> {framework, frame}
function judge(cf) {
  let known = judged.get(cf);
  if (!known) {
    known = judgeFiber(cf);
    judged.set(cf, known);
    if (cf.alternate) judged.set(cf.alternate, known);
  }
  return known;
}
const isFrameworkFiber = (cf) => judge(cf).framework;
function judgeFiber(cf) {
  const own = ownedBy(cf);
  const stack = stackOf(own) || stackOf(cf);
  if (!stack) return { framework: false, frame: null };
  const frames = appFrames(stack);
  // Every frame was React's or the framework's: framework, if there was any frame at all.
  if (!frames.length) return { framework: /\bat\b/.test(stack) && /:\d+:\d+/.test(stack), frame: null };
  return { framework: false, frame: frames[0] };
}
// A bundle's name may hide framework code (Next 15's Turbopack chunks do):
// the frame's source map tells. Resolves true when the mapped source is the
// framework's; remembered per fiber.
const mapped = new WeakMap(); // fiber -> Promise<boolean>
function isFrameworkByMap(cf) {
  const { frame } = judge(cf);
  if (!frame || !isBundleUrl(frame.url)) return Promise.resolve(false);
  if (!mapped.has(cf)) {
    const p = originalPosition(frame.url, frame.line, frame.column)
      .then((hit) => !!(hit && hit.source && isFrameworkPlace(hit.source))).catch(() => false);
    mapped.set(cf, p);
    if (cf.alternate) mapped.set(cf.alternate, p);
  }
  return mapped.get(cf);
}
// A server component's `debugLocation` is where its function is written
// (React keeps it for one that no component rendered, such as a page); else
// its element's stack, which names its owner's code.
function isFrameworkServer(info) {
  const stack = stackText(info.debugLocation) || stackText(info.debugStack) || stackText(info.stack);
  if (!stack) return false;
  return appFrames(stack).length === 0 && /:\d+:\d+/.test(stack);
}

export function locate(target) {
  for (let n = target, depth = 0; n && n.nodeType === 1 && depth < 50; n = n.parentElement, depth++) {
    const fiber = fiberOf(n);
    if (!fiber) continue;
    // The nearest user component, or the server component that wrote this element.
    let cf = null;
    for (let f = fiber; f; f = f.return) if (isComponent(f) && !isFrameworkFiber(f)) { cf = f; break; }
    const server = serverComponentOf(fiber, cf);
    if (server) {
      const where = frameFromStack(stackOf(fiber));
      return {
        framework: 'react', host: n, extraHosts: [], name: server.name || 'Anonymous',
        file: where ? where.file : '', server, fiber: cf, domFiber: fiber, where,
      };
    }
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
// The server component that wrote the element of `fiber`, unless the nearest
// client component `cf` did (its render is in the element's owner chain).
function serverComponentOf(fiber, cf) {
  const owner = fiber._debugOwner;
  if (!owner) return null;
  for (let o = owner, i = 0; o && i < 100; o = o._debugOwner || o.owner, i++) if (o === cf) return null;
  return isServerInfo(owner) && !isFrameworkServer(owner) ? owner : null;
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

// The first of the stack's app frames whose mapped source is not the
// framework's: {file, line, column} in what the user wrote, or null.
async function refineFrames(stack) {
  for (const f of appFrames(stack).slice(0, 4)) {
    const p = await originalPosition(f.url, f.line, f.column);
    if (!p) {
      if (!isBundleUrl(f.url)) return null; // a module served as written: the sync answer stands
      continue;
    }
    if (p.source && isFrameworkPlace(p.source)) continue;
    // A module served under its own path is named by its URL (Vite's maps name
    // sources relative to it); a bundle only by its map's `sources`.
    const file = isBundleUrl(f.url) && p.source ? sourceFile(absoluteSource(p.source, f.url)) : frameFile(f.url);
    return { file, line: p.line, column: p.column };
  }
  return null;
}

export function describe(loc, ctx) {
  const server = loc.server;
  ctx.inputs = propsToInputs((server ? server.props : loc.fiber.memoizedProps) || {});
  // The clicked element's own JSX when the component wrote it, else the component's.
  const mine = !server && loc.domFiber && loc.domFiber._debugOwner === loc.fiber ? loc.domFiber : null;
  const at = mine ? jsxLocation(mine) : loc.where;
  const atStack = mine ? stackOf(mine) : stackOf(server ? loc.domFiber : ownedBy(loc.fiber, loc.domFiber));
  if (at && at.file) ctx.sourceLocation = formatLocation(at);
  // Stack positions are in the served code: the module's source map gives the
  // written line, and for a bundle the file too.
  if (at && at.url && atStack) {
    ctx.refine = () => refineFrames(atStack).then((p) => {
      if (!p) return null;
      if (!ctx.componentFilePath || ctx.componentFilePath === at.file) ctx.componentFilePath = p.file;
      return formatLocation(p);
    });
  }
  const tree = ancestry(loc);
  ctx.componentTreePath = tree.map((e) => e.name);
  // Settled with the location before the payload is built (index.js).
  if (tree.some((e) => e.fiber && judge(e.fiber).frame && isBundleUrl(judge(e.fiber).frame.url))) {
    ctx.refineTree = () => refineAncestry(tree).then((names) => { ctx.componentTreePath = names; });
  }
  ctx.snapshotElements = [loc.host, ...(loc.extraHosts || [])];
}

// The user's components above the clicked one, outermost first: client
// components from the fiber tree, each preceded by the server components that
// rendered it (its owner chain up to the next fiber: they have no fibers of
// their own); framework components left out. [{name, fiber?}]
function ancestry(loc) {
  const out = [];
  const seen = new Set();
  const add = (name, key, fiber) => { if (!seen.has(key)) { seen.add(key); out.push({ name, fiber }); } };
  const chain = [];
  for (let f = loc.server ? loc.fiber : loc.fiber.return; f; f = f.return) {
    if (isComponent(f) && !isFrameworkFiber(f)) chain.unshift(f);
  }
  const serversAbove = (owner) => {
    const infos = [];
    for (let o = owner, i = 0; isServerInfo(o) && i < 100; o = o.owner, i++) if (!isFrameworkServer(o)) infos.unshift(o);
    return infos;
  };
  for (const f of chain) {
    for (const s of serversAbove(f._debugOwner)) add(s.name || 'Anonymous', s);
    add(nameOf(f.type) || 'Anonymous', f, f);
  }
  if (loc.server) for (const s of serversAbove(loc.server.owner)) add(s.name || 'Anonymous', s);
  else for (const s of serversAbove(loc.fiber._debugOwner)) add(s.name || 'Anonymous', s);
  return out;
}

// The ancestry without the client components whose code a source map places
// in the framework (bounded: the first 60).
async function refineAncestry(entries) {
  const verdicts = await Promise.all(entries.slice(0, 60).map((e) => (e.fiber ? isFrameworkByMap(e.fiber) : false)));
  return entries.filter((e, i) => !verdicts[i]).map((e) => e.name);
}
