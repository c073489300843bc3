// Svelte 5, through `__svelte_meta` (set on elements in development):
// `loc` is where the element is written; `parent` is the dev stack of blocks
// and component usages around it — one `component` entry per instance, whose
// `file` is the parent component's file. Svelte keeps props on no DOM node:
// when a dev transform exposes them as `__ngaProps` on the component's root
// elements, they are read from there.
import { rootRelative, baseName } from './paths.js';
import { propsToInputs } from './serialize.js';
import { formatLocation } from './stamp.js';

// A root-relative path in the user's own source: not under node_modules and
// not in a dot-directory (generated: .svelte-kit/, .nuxt/, …).
const isUserSource = (file) => !file.split('/').some((part) => part === 'node_modules' || (part.startsWith('.') && part !== '.' && part !== '..'));

const metaOf = (el) => (el && el.__svelte_meta && el.__svelte_meta.loc ? el.__svelte_meta : null);

// The `component` entry of the instance that rendered `meta` (null for the root component).
function instanceEntry(meta) {
  for (let p = meta.parent; p; p = p.parent) if (p.type === 'component') return p;
  return null;
}
const sameInstance = (a, b) => a.loc.file === b.loc.file && instanceEntry(a) === instanceEntry(b);

export function locate(target) {
  for (let n = target, depth = 0; n && n.nodeType === 1 && depth < 50; n = n.parentElement, depth++) {
    const meta = metaOf(n);
    if (!meta) continue;
    // Climb to the instance's topmost element, then take its siblings of the same instance.
    let top = n;
    for (let p = n.parentElement; p; p = p.parentElement) {
      const pm = metaOf(p);
      if (!pm || !sameInstance(pm, meta)) break;
      top = p;
    }
    const roots = [];
    if (top.parentElement) {
      for (const sib of top.parentElement.children) {
        const sm = metaOf(sib);
        if (sm && sameInstance(sm, meta)) roots.push(sib);
      }
    }
    if (!roots.length) roots.push(top);
    const file = rootRelative(meta.loc.file);
    return {
      framework: 'svelte', host: roots[0], extraHosts: roots.slice(1), name: baseName(file) || n.localName,
      file, meta: metaOf(target) || meta,
    };
  }
  return null;
}

export function describe(loc, ctx) {
  const m = loc.meta;
  // Svelte's line is 1-based, its column 0-based.
  const column = m.loc.column != null ? Number(m.loc.column) + 1 : null;
  ctx.sourceLocation = formatLocation({ file: rootRelative(m.loc.file), line: m.loc.line, column });
  // Each `component` entry is a usage written in an ancestor's file, and a
  // `render` entry ({@render children()}) is an ancestor rendering a snippet
  // (a SvelteKit layout, say). Files that are not the user's source (a
  // framework's generated files such as .svelte-kit/generated/root.svelte,
  // node_modules) are left out by where they live.
  let previous = null;
  for (let p = m.parent; p; p = p.parent) {
    if ((p.type !== 'component' && p.type !== 'render') || !p.file) continue;
    const file = rootRelative(p.file);
    if (file === previous || !isUserSource(file)) continue;
    previous = file;
    ctx.componentTreePath.unshift(baseName(file));
  }
  const props = [loc.host, ...(loc.extraHosts || [])].map((el) => el.__ngaProps).find(Boolean);
  if (props) ctx.inputs = propsToInputs(props, ['children', '$$slots', '$$events', '$$legacy']);
  ctx.snapshotElements = [loc.host, ...(loc.extraHosts || [])];
}
