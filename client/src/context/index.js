// Which framework rendered an element, and the annotation context for it
// (SPEC §8, contract C5). `locate` is what hovering needs and stays cheap (no
// outerHTML, no scans); `describe` and `buildPayload` run on click/submit only.
import { SNAPSHOT_MAX } from '../config.js';
import { roundRect } from '../dom.js';
import { boxOf } from '../geometry.js';
import { makeAnchor } from '../anchor.js';
import * as angular from './angular.js';
import * as react from './react.js';
import * as vue from './vue.js';
import * as svelte from './svelte.js';
import * as astro from './astro.js';
import * as generic from './generic.js';
import { cssPath, usefulSelector } from './selector.js';
import { nearestStamp, formatLocation } from './stamp.js';
import { astroSourceOf } from '../astro-source.js';
import { learnRootFrom } from './paths.js';
import { state } from '../state.js';
import { computedStylesOf, accessibilityOf } from './computed.js';
import { capInputs } from './serialize.js';

// The attribute a preview build puts on elements (issue 20).
const SOURCE_ID_ATTR = 'data-nga-id';

const adapters = { angular, react, vue, svelte, astro, html: generic };

// {framework, host, extraHosts?, name, file, …adapter's own}
export function locate(target) {
  const found = angular.locate(target);
  if (found) return found;
  // The nearest framework-owned element decides (a React island in a plain page).
  for (let n = target, depth = 0; n && n.nodeType === 1 && depth < 50; n = n.parentElement, depth++) {
    if (react.fiberOf(n)) return react.locate(n) || generic.locate(target);
    if (n.__vueParentComponent) return vue.locate(n) || generic.locate(target);
    if (n.__svelte_meta && n.__svelte_meta.loc) return svelte.locate(n) || generic.locate(target);
    if (astroSourceOf(n)) return astro.locate(n); // a `.astro` component (server-rendered)
  }
  return generic.locate(target);
}

// Label for the hover highlight: the file, from a stamp when the framework gave none.
export function hoverFile(loc) {
  if (loc.file) return loc.file;
  const s = loc.framework !== 'html' ? nearestStamp(loc.host, loc.host) : null;
  return s ? s.file : '';
}

export function describe(target) {
  const loc = locate(target);
  const el = loc.host;
  const ctx = {
    framework: loc.framework,
    componentName: loc.name,
    componentFilePath: loc.file || '',
    selector: '',
    inputs: {},
    componentTreePath: [],
    element: el,
    target, // what was clicked: its styles and role, which the host's may not be
    extraHosts: loc.extraHosts || [],
    snapshotElements: [el],
  };
  ctx.elementPath = cssPath(el);
  adapters[loc.framework].describe(loc, ctx, target);
  if (!ctx.selector) ctx.selector = usefulSelector(el);
  // A compile-time stamp beats framework internals (contract C4).
  const stamp = loc.framework === 'html' ? nearestStamp(target, null) : nearestStamp(target, el);
  if (!stamp && ctx.refine) {
    // Resolved before the payload is built (see settle); the panel updates when it lands.
    ctx.pending = ctx.refine().then((where) => { if (where) ctx.sourceLocation = where; }).catch(() => {});
  }
  if (ctx.refineTree) {
    // The adapter's second look at the ancestry (React: source maps of bundles).
    ctx.pending = Promise.all([ctx.pending, ctx.refineTree().catch(() => {})]);
  }
  if (stamp) {
    ctx.sourceLocation = formatLocation(stamp);
    if (!ctx.componentFilePath) ctx.componentFilePath = stamp.file;
    if (loc.framework === 'vue' && loc.vue && loc.vue.type) learnRootFrom(loc.vue.type.__file, stamp.file);
  }
  ctx.anchor = makeAnchor(ctx, stamp);
  // A preview build carries short source ids instead of paths (issue 20):
  // the server resolves the nearest one through the build's pushed manifest.
  if (state.build) {
    const stamped = target.closest ? target.closest('[' + SOURCE_ID_ATTR + ']') : null;
    if (stamped) ctx.sourceId = stamped.getAttribute(SOURCE_ID_ATTR);
  }
  return ctx;
}

// Waits (bounded) for what describe() is still resolving.
export function settle(ctx, ms = 1500) {
  if (!ctx.pending) return Promise.resolve();
  return Promise.race([ctx.pending, new Promise((r) => setTimeout(r, ms))]);
}

export function rectOf(ctx) {
  const box = boxOf(ctx.element, ctx.extraHosts);
  return box ? roundRect(box) : { x: 0, y: 0, width: 0, height: 0 };
}

// The elements' markup as the app wrote it: our source stamps are left out.
const STAMPS = / (?:data-nga-src|data-nga-id|nga)="[^"]*"/g;
function snapshotOf(elements) {
  let snapshot = '';
  for (const el of elements) {
    try { snapshot += (snapshot ? '\n' : '') + (el.outerHTML || '').replace(STAMPS, ''); } catch { /* detached */ }
    if (snapshot.length > SNAPSHOT_MAX) break;
  }
  if (snapshot.length > SNAPSHOT_MAX) snapshot = snapshot.slice(0, SNAPSHOT_MAX - 20) + '<!-- truncated -->';
  return snapshot;
}

export function buildPayload(ctx, text, selectionText) {
  const payload = {
    componentName: ctx.componentName,
    componentFilePath: ctx.componentFilePath,
    selector: ctx.selector,
    inputs: ctx.inputs,
    domSnapshot: snapshotOf(ctx.snapshotElements),
    componentTreePath: ctx.componentTreePath,
    annotationText: text,
    pageUrl: location.href,
    framework: ctx.framework,
    boundingBox: ctx.element.isConnected ? rectOf(ctx) : ctx.boundingBox,
    viewport: { width: window.innerWidth, height: window.innerHeight },
    elementPath: ctx.elementPath,
    anchor: ctx.anchor,
  };
  if (ctx.templateFilePath) payload.templateFilePath = ctx.templateFilePath;
  if (selectionText) payload.selectionText = selectionText;
  if (ctx.sourceLocation) payload.sourceLocation = ctx.sourceLocation;
  if (state.build) payload.buildId = state.build;
  if (ctx.sourceId) payload.sourceId = ctx.sourceId;
  // Read at submit, when the pointer has left the element (no :hover styles).
  const styled = ctx.target && ctx.target.isConnected ? ctx.target : ctx.element;
  if (styled && styled.isConnected) {
    payload.computedStyles = computedStylesOf(styled);
    payload.accessibility = accessibilityOf(styled);
  }
  return payload;
}

// Several elements (issue 18): each element besides the first as the
// payload's `elements` carries it, within the server's bounds
// (store/elements.h: 1 000 characters of domSnapshot, 8 KiB of inputs, 4 KiB
// of each context object, 96 KiB in all; 2 600 characters of JSON are at
// most 7 800 bytes of UTF-8).
const ELEMENT_SNAPSHOT_MAX = 1000;
const ELEMENT_INPUTS_CHARS = 2600;
const ELEMENT_CONTEXT_CHARS = 1300;
const ELEMENTS_BYTES = 90 * 1024;
const utf8Bytes = (v) => new TextEncoder().encode(JSON.stringify(v)).length;

export function elementPayload(ctx) {
  const snapshot = snapshotOf(ctx.snapshotElements);
  const e = {
    componentName: ctx.componentName,
    componentFilePath: ctx.componentFilePath,
    selector: ctx.selector,
    framework: ctx.framework,
    inputs: capInputs({ ...ctx.inputs }, ELEMENT_INPUTS_CHARS),
    domSnapshot: snapshot.length > ELEMENT_SNAPSHOT_MAX ? snapshot.slice(0, ELEMENT_SNAPSHOT_MAX) : snapshot,
    componentTreePath: ctx.componentTreePath.slice(-64),
    elementPath: ctx.elementPath,
  };
  if (JSON.stringify(e.inputs).length > ELEMENT_INPUTS_CHARS) e.inputs = {}; // too many keys to cut
  if (ctx.templateFilePath) e.templateFilePath = ctx.templateFilePath;
  if (ctx.element.isConnected) e.boundingBox = rectOf(ctx);
  for (const key of ['sourceLocation', 'anchor']) {
    if (ctx[key] && JSON.stringify(ctx[key]).length <= ELEMENT_CONTEXT_CHARS) e[key] = ctx[key];
  }
  return e;
}

// The others' payloads, the last ones left out past the bound of all of them.
export function elementsPayload(others) {
  const out = others.map(elementPayload);
  while (out.length && utf8Bytes(out) > ELEMENTS_BYTES) out.pop();
  return out;
}
