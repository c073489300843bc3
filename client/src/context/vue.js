// Vue 3, through `__vueParentComponent` (set on elements in development).
// `type.__file` is absolute: made root-relative.
//
// The user's components are told from the framework's by where their source
// lives, not by a list of names: an SFC of the project has a `__file` outside
// node_modules; Vue's built-ins (Transition, KeepAlive, Suspense), the
// router's and Nuxt's wrappers (NuxtRoot, NuxtPage, RouterView, ClientOnly,
// NuxtLink…) have none or one in node_modules. Those are left out of the
// ancestry, and a click inside one is given to the user's component around it.
import { rootRelative, baseName } from './paths.js';
import { toData, capInputs } from './serialize.js';

const isUsers = (type) => Boolean(type && type.__file) && !/[\\/]node_modules[\\/]/.test(type.__file);

const nameOf = (type) => (type && (type.name || type.__name || baseName(type.__file))) || 'Anonymous';

// The instance's root elements (a fragment root has several).
function rootElements(instance) {
  const out = [];
  const walk = (vnode, depth) => {
    if (!vnode || depth > 6 || out.length >= 20) return;
    if (vnode.el instanceof Element && !(vnode.component)) { out.push(vnode.el); return; }
    if (vnode.component && vnode.component.subTree) return walk(vnode.component.subTree, depth + 1);
    if (Array.isArray(vnode.children)) for (const c of vnode.children) walk(c, depth + 1);
  };
  walk(instance.subTree, 0);
  return out;
}

export function locate(target) {
  for (let n = target, depth = 0; n && n.nodeType === 1 && depth < 50; n = n.parentElement, depth++) {
    let vue = n.__vueParentComponent;
    if (!vue) continue;
    for (let p = vue; p; p = p.parent) if (isUsers(p.type)) { vue = p; break; }
    const type = vue.type || {};
    const roots = rootElements(vue);
    return {
      framework: 'vue', host: roots[0] || n, extraHosts: roots.slice(1), name: nameOf(type),
      file: rootRelative(type.__file), vue,
    };
  }
  return null;
}

export function describe(loc, ctx) {
  const inputs = {};
  const props = loc.vue.props || {};
  for (const k of Object.keys(props)) {
    try { inputs[k] = toData(props[k]); } catch { /* a throwing getter */ }
  }
  ctx.inputs = capInputs(inputs);
  for (let p = loc.vue.parent; p; p = p.parent) if (isUsers(p.type)) ctx.componentTreePath.unshift(nameOf(p.type));
  ctx.snapshotElements = [loc.host, ...(loc.extraHosts || [])];
}
