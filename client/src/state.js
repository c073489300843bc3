// The overlay's shared state and a tiny event hub between its modules.

export const state = {
  session: null,
  manifest: {},
  annotations: new Map(), // id -> annotation, in arrival order
  heartbeat: null,
  version: null, // the server's annotations version (protocol revision 2)
  more: 0, // older terminal annotations the server left out of the sync
  older: [], // those fetched on request (annotations:page), newest first
  olderCursor: undefined, // where the next page starts (null: no more; undefined: none asked yet)
  root: null, // the project root (absolute), when the page could learn it
  syncs: 0, // periodic sync frames seen (annotations:sync or annotations:unchanged)
  proto: 2, // protocol revision asked for
  frames: {}, // server frames seen, by type
  inspecting: false,
  hidden: false,
  build: '', // preview build id (config.js)
  aside: false, // stepped aside for ng-annotate-mcp's overlay (coexist.js)
  astroSources: new WeakMap(), // element -> {file, loc} Astro's dev toolbar took off it (astro-source.js)
};

const listeners = new Map();

// on('annotations', (ids) => …): ids is a Set of the annotation ids that changed.
export function on(event, fn) {
  if (!listeners.has(event)) listeners.set(event, []);
  listeners.get(event).push(fn);
}
export function emit(event, ...args) {
  for (const fn of listeners.get(event) || []) {
    try { fn(...args); } catch (err) { console.error('[ng-annotate]', err); }
  }
}
