// Source stamps (contract C4): pure functions that give every element a
// component's source renders `data-nga-src="<root-relative path>:<line>:<col>"`
// (1-based line and column of the element's opening `<`). Each takes the
// file's text and returns the stamped text, or null when nothing changes or
// the file cannot be parsed (the framework's own plugin then reports it); the
// `…WithMap` forms return {code, map} instead, with a source map back to the
// user's text (what a bundler's transform hook should return). JSX is found by
// a scan (./jsx-scan.js), with the parser passed in as the fallback; Vue and
// Svelte use the user's own compiler (`vue/compiler-sfc`, `svelte/compiler`),
// passed in, so that this file depends on nothing.
import { applyInsertions } from './insert-map.js';
import { scanJsxHostElements } from './jsx-scan.js';

export const STAMP_ATTR = 'data-nga-src';

// Offsets of the first character of each line, for offset → line/column.
export function lineStarts(text) {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

// 1-based { line, column } of UTF-16 offset `offset` (binary search over `starts`).
export function lineColumn(starts, offset) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

// An attribute value that reads the same in HTML, JSX, Vue and Svelte
// templates (Svelte would take `{` as an expression).
export function escapeAttr(value) {
  return value.replace(/[&"<>{}]/g, (c) => `&#${c.charCodeAt(0)};`);
}

// What a stamp says: by default `data-nga-src="<file>:<line>:<col>"`; a
// preview build passes its own (`data-nga-id="<short id>"`, see
// @ng-annotate/cli/lib/preview.js).
// Returns [attribute name, value].
export const pathAttribute = (location) => [STAMP_ATTR, location];

// The insertions that stamp each point: `tagStart` is the offset of the
// element's `<`, `insertAt` the offset just after its tag name.
export function stampInserts(text, relPath, points, attribute = pathAttribute) {
  const starts = lineStarts(text);
  return points.map(({ tagStart, insertAt }) => {
    const { line, column } = lineColumn(starts, tagStart);
    const [name, value] = attribute(`${relPath}:${line}:${column}`);
    return { at: insertAt, text: ` ${name}="${escapeAttr(value)}"` };
  });
}

// Inserts ` data-nga-src="…"` for each point, plus `extra` insertions
// ([{at, text}], e.g. a loader's own script tag), in one pass. Returns
// {code, map} (`source` names the file in the map).
export function insertStampsWithMap(text, relPath, points, source = relPath, extra = [], attribute = pathAttribute) {
  return applyInsertions(text, [...stampInserts(text, relPath, points, attribute), ...extra], source);
}

// The same, text only (the text itself when there are no points).
export function insertStamps(text, relPath, points) {
  return points.length ? insertStampsWithMap(text, relPath, points).code : text;
}

// Depth-first visit of every object in `node` (skipping `skip` keys).
function visit(node, fn, skip) {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) { for (const n of node) visit(n, fn, skip); return; }
  if (fn(node) === false) return;
  for (const key of Object.keys(node)) if (!skip.has(key)) visit(node[key], fn, skip);
}

const JS_SKIP = new Set(['parent', 'loc', 'range']);

// JSX/TSX host elements (lowercase or dashed names: `div`, `my-widget`),
// not components (`Card`, `ui.Card`) or fragments.
export function jsxPoints(ast) {
  const points = [];
  visit(ast, (n) => {
    if (n.type !== 'JSXOpeningElement' || n.name?.type !== 'JSXIdentifier') return;
    const name = n.name.name;
    if (!/^[a-z]/.test(name)) return;
    if (n.attributes.some((a) => a.type === 'JSXAttribute' && a.name?.name === STAMP_ATTR)) return;
    points.push({ tagStart: n.start, insertAt: n.name.end });
  }, JS_SKIP);
  return points;
}

export const jsxLang = (file) => (/\.tsx$/.test(file) ? 'tsx' : /\.ts$/.test(file) ? 'ts' : 'jsx');

// The host elements of a JSX/TSX module: scanned, or parsed with
// `parseAst(code, {lang})` (an ESTree parser such as Vite's) when the scan is
// unsure; null when neither can read it.
export function jsxHostPoints(code, parseAst, file) {
  const scanned = scanJsxHostElements(code, STAMP_ATTR);
  if (scanned) return scanned.filter((p) => !p.stamped);
  if (!parseAst) return null;
  try { return jsxPoints(parseAst(code, { lang: jsxLang(file) })); } catch { return null; }
}

// `parseAst` may be null (then a file the scan cannot read is left alone).
// `options.inserts` ([{at, text}]) are made in the same pass, with the same
// map (for a loader that adds its own text, such as the overlay's tag).
export function stampJsxWithMap(code, relPath, parseAst, file = relPath, { inserts = [], attribute = pathAttribute } = {}) {
  const points = code.includes('<') ? jsxHostPoints(code, parseAst, file) ?? [] : [];
  return points.length || inserts.length ? insertStampsWithMap(code, relPath, points, file, inserts, attribute) : null;
}

export { applyInsertions };

export const stampJsx = (code, relPath, parseAst, file = relPath) => stampJsxWithMap(code, relPath, parseAst, file)?.code ?? null;

// Vue template elements: plain elements (tagType 0), not components, <slot>
// or <template>; their children are visited whatever they are.
const VUE_ELEMENT = 1;
const VUE_PLAIN = 0;
export function vuePoints(templateAst) {
  const points = [];
  visit(templateAst, (n) => {
    if (n.type !== VUE_ELEMENT || typeof n.tag !== 'string') return;
    if (n.tagType !== VUE_PLAIN) return;
    if ((n.props || []).some((p) => p.type === 6 && p.name === STAMP_ATTR)) return;
    const at = n.loc.start.offset;
    points.push({ tagStart: at, insertAt: at + 1 + n.tag.length });
  }, new Set(['loc', 'props', 'codegenNode', 'parent']));
  return points;
}

// `compilerSfc` is `vue/compiler-sfc`. Templates in another language (pug)
// are left alone.
export function stampVueWithMap(code, relPath, compilerSfc, file = relPath, { attribute = pathAttribute } = {}) {
  let descriptor;
  try {
    const r = compilerSfc.parse(code, { sourceMap: false, filename: relPath });
    if (r.errors?.length) return null;
    descriptor = r.descriptor;
  } catch { return null; }
  const template = descriptor.template;
  if (!template || (template.lang && template.lang !== 'html') || template.src || !template.ast) return null;
  const points = vuePoints(template.ast.children);
  return points.length ? insertStampsWithMap(code, relPath, points, file, [], attribute) : null;
}

export const stampVue = (code, relPath, compilerSfc, file = relPath) => stampVueWithMap(code, relPath, compilerSfc, file)?.code ?? null;

// The same stamps from inside Vue's own template compiler: a `nodeTransforms`
// entry that adds an attribute to each plain element's props as the
// compiler walks the template, so the source is neither parsed again nor
// changed (its map stays Vue's own). `relPathOf(filename)` gives the stamp's
// path, or null for a file not to stamp. Positions are the SFC's own only
// when the compiler reuses the SFC parser's AST (compiler-sfc ≥ 3.4.3):
// check with vueCompilerReusesAst first.
//
// Compact, because it is in every compiled render function the dev server
// serves (issue 22: the stamp's bytes): an element whose parent in the DOM is
// an element of the same template (its parent in the template, through
// v-if/v-for only) carries just `nga="<line>:<col>"` (a name that Vue's
// codegen writes unquoted, and no `data-` prefix: the bytes are the point);
// the file is its
// ancestor's, and only the elements that start a chain (a template's roots,
// what goes into a component's slot or a <Teleport>, children of a
// <template>) carry the full `data-nga-src="<file>:<line>:<col>"`. The
// overlay (client/src/context/stamp.js) walks up to it. The attributes get
// no source-map segment (an empty `loc.source`: Vue's codegen maps only
// nodes that have one), as they are nowhere in the user's text.
const VUE_IF = 9;
const VUE_IF_BRANCH = 10;
const VUE_FOR = 11;
export const STAMP_SHORT_ATTR = 'nga';

export function vueStampNodeTransform(relPathOf) {
  // Per compiled template (the transform is shared by every compile):
  // whether a v-if/v-for node's children sit in a stamped element's DOM.
  const underElement = new WeakMap();
  const isPlain = (n) => n && n.type === VUE_ELEMENT && n.tagType === VUE_PLAIN;
  // The stamp's path, once per compiled file rather than once per element
  // (path.relative twice per call: 57 ms of CPU over 1 000 components at a
  // dev server's start, measured in fresh-process compiles, issue 22).
  let lastFile;
  let lastRel = null;
  const relOf = (filename) => {
    if (filename !== lastFile) {
      lastFile = filename;
      lastRel = relPathOf(filename);
    }
    return lastRel;
  };
  return (node, context) => {
    const parent = context.parent;
    const parentIsElement = isPlain(parent) || (parent && underElement.get(parent) === true);
    if (node.type === VUE_IF || node.type === VUE_IF_BRANCH || node.type === VUE_FOR) {
      underElement.set(node, parentIsElement);
      return;
    }
    if (!isPlain(node)) return;
    if (node.props.some((p) => p.type === 6 && (p.name === STAMP_ATTR || p.name === STAMP_SHORT_ATTR))) return;
    const rel = context.filename ? relOf(context.filename) : null;
    if (!rel) return;
    const { start } = node.loc;
    const loc = { start, end: start, source: '' };
    const [name, content] = parentIsElement
      ? [STAMP_SHORT_ATTR, `${start.line}:${start.column}`]
      : [STAMP_ATTR, `${rel}:${start.line}:${start.column}`];
    node.props.push({ type: 6, name, nameLoc: loc, loc, value: { type: 2, content, loc } });
  };
}

export function vueCompilerReusesAst(version) {
  const [major, minor, patch] = String(version || '').split('.').map(Number);
  return major > 3 || (major === 3 && (minor > 4 || (minor === 4 && patch >= 3)));
}

// Svelte 5 RegularElement nodes of the markup (not <svelte:*>, components or
// the <script>/<style> blocks).
export function sveltePoints(fragment) {
  const points = [];
  visit(fragment, (n) => {
    if (n.type !== 'RegularElement') return;
    if ((n.attributes || []).some((a) => a.type === 'Attribute' && a.name === STAMP_ATTR)) return;
    points.push({ tagStart: n.start, insertAt: n.start + 1 + n.name.length });
  }, new Set(['metadata', 'parent', 'expression']));
  return points;
}

// `svelteCompiler` is `svelte/compiler`.
export function stampSvelteWithMap(code, relPath, svelteCompiler, file = relPath, { attribute = pathAttribute } = {}) {
  let ast;
  try { ast = svelteCompiler.parse(code, { modern: true }); } catch { return null; }
  const points = sveltePoints(ast.fragment);
  return points.length ? insertStampsWithMap(code, relPath, points, file, [], attribute) : null;
}

export const stampSvelte = (code, relPath, svelteCompiler, file = relPath) => stampSvelteWithMap(code, relPath, svelteCompiler, file)?.code ?? null;
