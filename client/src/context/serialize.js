// Component inputs/props as JSON-safe data with bounded depth and size (the
// server caps `inputs` at 64 KiB). Readable forms for what JSON can't carry:
// a Date becomes its ISO string; Map, Set and class instances keep their
// type name in `$type`; cycles, functions and DOM nodes become short strings.

export const INPUTS_BUDGET = 60000; // characters of serialized inputs
const MAX_STRING = 500;
const MAX_ITEMS = 20;
const MAX_DEPTH = 4;

export function safeCall(fn) { try { return fn(); } catch { return undefined; } }

// Angular signals (input(), signal(), computed()) carry a symbol named SIGNAL.
export const isSignal = (v) => typeof v === 'function' &&
  Object.getOwnPropertySymbols(v).some((s) => s.description === 'SIGNAL');

const className = (v) => {
  const proto = Object.getPrototypeOf(v);
  if (proto === null || proto === Object.prototype) return null;
  const name = proto.constructor && proto.constructor.name;
  return name ? name.replace(/^_+/, '') : 'Object';
};

export function toData(value, depth = 0, seen = new WeakSet()) {
  if (value === undefined) return null;
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return value.length > MAX_STRING ? value.slice(0, MAX_STRING) + '…' : value;
  if (typeof value === 'bigint') return value + 'n';
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') {
    if (isSignal(value)) return toData(safeCall(value), depth, seen);
    return `[Function ${value.name || 'anonymous'}]`;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof Node !== 'undefined' && value instanceof Node) {
    return value.nodeType === 1 ? `<${value.localName}>` : `[${value.nodeName}]`;
  }
  if (typeof Promise !== 'undefined' && value instanceof Promise) return '[Promise]';
  if (ArrayBuffer.isView(value)) return `[${className(value) || 'TypedArray'}(${value.length ?? value.byteLength})]`;
  if (seen.has(value)) return '[Circular]';
  if (value instanceof Map) {
    if (depth >= MAX_DEPTH) return `[Map(${value.size})]`;
    seen.add(value);
    const entries = [];
    for (const [k, v] of value) {
      if (entries.length >= MAX_ITEMS) break;
      entries.push([toData(k, depth + 1, seen), toData(v, depth + 1, seen)]);
    }
    seen.delete(value);
    return { $type: 'Map', size: value.size, entries };
  }
  if (value instanceof Set) {
    if (depth >= MAX_DEPTH) return `[Set(${value.size})]`;
    seen.add(value);
    const values = [];
    for (const v of value) {
      if (values.length >= MAX_ITEMS) break;
      values.push(toData(v, depth + 1, seen));
    }
    seen.delete(value);
    return { $type: 'Set', size: value.size, values };
  }
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) return `[Array(${value.length})]`;
    seen.add(value);
    const out = value.slice(0, MAX_ITEMS).map((v) => toData(v, depth + 1, seen));
    if (value.length > MAX_ITEMS) out.push(`… ${value.length - MAX_ITEMS} more`);
    seen.delete(value);
    return out;
  }
  const type = className(value);
  if (depth >= MAX_DEPTH) return `[${type || 'Object'}]`;
  seen.add(value);
  const out = type ? { $type: type } : {};
  let keys;
  try { keys = Object.keys(value); } catch { keys = []; }
  for (const k of keys.slice(0, MAX_ITEMS)) {
    let v;
    try { v = value[k]; } catch { v = '[Getter threw]'; }
    out[k] = toData(v, depth + 1, seen);
  }
  if (keys.length > MAX_ITEMS) out['…'] = `${keys.length - MAX_ITEMS} more keys`;
  seen.delete(value);
  return out;
}

// Keeps the whole object under the budget: the last entries give way first.
export function capInputs(inputs, budget = INPUTS_BUDGET) {
  let size = JSON.stringify(inputs).length;
  for (const k of Object.keys(inputs).reverse()) {
    if (size <= budget) break;
    size -= JSON.stringify(inputs[k]).length - '"[truncated]"'.length;
    inputs[k] = '[truncated]';
  }
  return inputs;
}

// Props/inputs of a plain object, `skip` keys left out.
export function propsToInputs(props, skip = ['children']) {
  const inputs = {};
  if (!props || typeof props !== 'object') return inputs;
  let keys;
  try { keys = Object.keys(props); } catch { return inputs; }
  for (const k of keys) {
    if (skip.includes(k)) continue;
    let v;
    try { v = props[k]; } catch { continue; }
    inputs[k] = toData(v);
  }
  return capInputs(inputs);
}

// A one-line preview of serialized data for the panel.
export function preview(v, max = 120) {
  let s;
  if (v && typeof v === 'object' && !Array.isArray(v) && v.$type === 'Map') {
    s = `Map(${v.size}) {${v.entries.map(([k, x]) => `${preview(k, 30)} → ${preview(x, 30)}`).join(', ')}}`;
  } else if (v && typeof v === 'object' && !Array.isArray(v) && v.$type === 'Set') {
    s = `Set(${v.size}) {${v.values.map((x) => preview(x, 30)).join(', ')}}`;
  } else if (typeof v === 'string') {
    s = JSON.stringify(v);
  } else {
    try { s = JSON.stringify(v); } catch { s = String(v); }
  }
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}
