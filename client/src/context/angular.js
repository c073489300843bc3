// Angular, through its dev-mode globals (`window.ng`) and the component
// definition (`ɵcmp`). The class name comes from the definition's debug info
// (ɵsetClassDebugInfo in dev builds), else the manifest by selector; never
// from `constructor.name` alone, which a dev build mangles to `_PriceTag`.
import { state } from '../state.js';
import { rootRelative } from './paths.js';
import { isSignal, safeCall, toData, capInputs } from './serialize.js';
import { angularSourceLocation, formatLocation } from './stamp.js';

export function ngApi() {
  const ng = window.ng;
  return ng && typeof ng.getComponent === 'function' ? ng : null;
}
function componentAt(el, ng) {
  try { return ng.getComponent(el) || null; } catch { return null; }
}
const defOf = (comp) => (comp && comp.constructor && comp.constructor.ɵcmp) || null;

// `app-item, [appItem]` from the definition's parsed selectors.
export function selectorOf(def, hostEl) {
  const sels = def && Array.isArray(def.selectors) ? def.selectors : null;
  if (!sels || !sels.length) return hostEl.localName;
  const out = [];
  for (const sel of sels) {
    if (!Array.isArray(sel)) continue;
    let s = typeof sel[0] === 'string' ? sel[0] : '';
    for (let i = 1; i < sel.length; i += 2) {
      if (typeof sel[i] !== 'string') break; // class / :not() flags: stop at plain attributes
      s += sel[i + 1] ? `[${sel[i]}=${JSON.stringify(String(sel[i + 1]))}]` : `[${sel[i]}]`;
    }
    if (s) out.push(s);
  }
  return out.join(', ') || hostEl.localName;
}

// The manifest entry whose selector is one of this component's.
function manifestBySelector(selector) {
  if (!selector) return null;
  const wanted = new Set(selector.split(',').map((s) => s.trim()).filter(Boolean));
  for (const [name, entry] of Object.entries(state.manifest || {})) {
    const sel = entry && entry.selector;
    if (sel && sel.split(',').some((s) => wanted.has(s.trim()))) return { name, entry };
  }
  return null;
}

// {name, file, template, selector, line} for a component instance.
export function identify(comp, hostEl) {
  const def = defOf(comp);
  const debug = (def && def.debugInfo) || null;
  const selector = selectorOf(def, hostEl);
  const manifest = state.manifest || {};
  let name = debug && debug.className;
  let entry = name ? manifest[name] : null;
  if (!entry) {
    const bySel = manifestBySelector(selector);
    if (bySel) { entry = bySel.entry; name = name || bySel.name; }
  }
  if (!name) {
    const raw = (comp && comp.constructor && comp.constructor.name) || '';
    const stripped = raw.replace(/^_+/, '');
    name = stripped || hostEl.localName;
    entry = entry || manifest[stripped] || manifest[raw] || null;
  }
  return {
    name,
    file: (entry && entry.component) || rootRelative(debug && debug.filePath) || '',
    template: (entry && entry.template) || '',
    selector: (entry && entry.selector) || selector,
    line: debug && debug.lineNumber ? Number(debug.lineNumber) : null,
  };
}

export function locate(target) {
  const ng = ngApi();
  if (!ng) return null;
  for (let n = target; n && n.nodeType === 1; n = n.parentElement) {
    const comp = componentAt(n, ng);
    if (comp) {
      const id = identify(comp, n);
      return { framework: 'angular', host: n, name: id.name, file: id.file, comp, id };
    }
  }
  return null;
}

function inputsOf(comp) {
  const def = defOf(comp);
  const inputs = {};
  const map = def && def.inputs;
  if (!map) return inputs;
  for (const publicName of Object.keys(map)) {
    const spec = map[publicName];
    const names = (Array.isArray(spec) ? spec : [spec]).filter((x) => typeof x === 'string');
    const prop = names.find((x) => x in comp) || (publicName in comp ? publicName : null);
    if (!prop) continue;
    let v;
    try { v = comp[prop]; } catch { continue; }
    if (isSignal(v)) v = safeCall(v);
    inputs[publicName] = toData(v);
  }
  return capInputs(inputs);
}

export function describe(loc, ctx, target) {
  const ng = ngApi();
  const { id } = loc;
  ctx.selector = id.selector;
  if (id.template) ctx.templateFilePath = id.template;
  ctx.inputs = inputsOf(loc.comp);
  for (let n = loc.host.parentElement; n; n = n.parentElement) {
    const c = componentAt(n, ng);
    if (c) ctx.componentTreePath.unshift(identify(c, n).name);
  }
  // A template location, when the compiler stamped one; else the class's line.
  for (let n = target; n && n.nodeType === 1; n = n.parentElement) {
    const at = angularSourceLocation(n);
    if (at) { ctx.sourceLocation = formatLocation({ ...at, file: rootRelative(at.file) }); break; }
    if (n === loc.host) break;
  }
  if (!ctx.sourceLocation && id.file && id.line) ctx.sourceLocation = `${id.file}:${id.line}`;
}
