// Inspect mode: hovering highlights the component host's box with a label;
// the click (captured before the app's handlers, which never see it) opens the
// annotate panel; Shift+click and a drag pick several elements or an area.
// The mousemove path stays cheap: no outerHTML, no scans.
// Finding components and the panel come with capture.js (lazy.js), which
// starting to inspect loads: a hover or click before it lands is played once
// it has.
import { h } from './dom.js';
import { state } from './state.js';
import { host, hl, hlLabel, fab, isOurs } from './ui.js';
import { boxOf } from './geometry.js';
import { loadLazy, lazyModule, withLazy } from './lazy.js';

let hoverTarget = null;
let hover = null; // the located component under the pointer

export function setInspecting(on) {
  state.inspecting = !!on && !state.hidden;
  if (state.inspecting && !lazyModule()) loadLazy().then(() => { if (hoverTarget) hoverOver(hoverTarget); }, () => {});
  fab.classList.toggle('inspecting', state.inspecting);
  if (!state.inspecting) { hideHighlight(); if (lazyModule()) lazyModule().unpick(); }
}
function hideHighlight() {
  hoverTarget = hover = null;
  hl.style.display = 'none';
  hlLabel.style.display = 'none';
}
export function placeHighlight() {
  if (!hover) return;
  const r = hover.host.isConnected ? boxOf(hover.host, hover.extraHosts) : null;
  if (!r) { hl.style.display = 'none'; hlLabel.style.display = 'none'; return; }
  const s = hl.style;
  s.display = 'block';
  s.left = r.left + 'px'; s.top = r.top + 'px'; s.width = r.width + 'px'; s.height = r.height + 'px';
  const ls = hlLabel.style;
  ls.display = 'block';
  ls.left = Math.max(0, r.left) + 'px';
  ls.top = (r.top > 22 ? r.top - 22 : r.bottom + 2) + 'px';
}

function onMouseMove(e) {
  if (!state.inspecting) return;
  const t = e.target;
  if (t === hoverTarget || !(t instanceof Element) || t === host) return;
  hoverTarget = t;
  if (lazyModule()) hoverOver(t);
}

function hoverOver(t) {
  const { locate, hoverFile } = lazyModule();
  const loc = locate(t);
  if (hover && loc.host === hover.host) return;
  hover = loc;
  const file = hoverFile(loc);
  hlLabel.replaceChildren(loc.name, file ? h('small', null, file) : '');
  placeHighlight();
}

// While inspecting, the press and the click belong to us: the app's handlers
// never run. What they do (a click, Shift+click, a drag over an area) is
// capture.js's (lazy/pick.js).
function swallow(e) {
  if (!state.inspecting || isOurs(e)) return;
  e.preventDefault();
  e.stopImmediatePropagation();
  if (lazyModule()) lazyModule().pressed(e);
}
function onClick(e) {
  swallow(e);
  const t = e.target;
  if (state.inspecting && !isOurs(e) && t instanceof Element) withLazy((m) => m.pick(t, e.shiftKey));
}

export function startInspect() {
  for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'dblclick', 'auxclick', 'contextmenu']) {
    window.addEventListener(type, swallow, true);
  }
  window.addEventListener('click', onClick, true);
  window.addEventListener('mousemove', onMouseMove, { capture: true, passive: true });
}
