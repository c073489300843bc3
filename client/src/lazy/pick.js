// What an inspect click or press does (issue 18: several elements, or an
// area), in capture.js so that the page's first load stays as it was. A
// click opens the annotate panel for the element clicked, after any that were
// Shift+clicked before it; Shift+click adds an element (or takes it back
// out) and keeps inspecting, each one outlined and numbered; a drag draws an
// area, and letting go opens the panel for the area with the components
// inside it (the component under its centre when none is wholly inside).
import { h } from '../dom.js';
import { state } from '../state.js';
import { root, host } from '../ui.js';
import { setInspecting } from '../inspect.js';
import { describe, rectOf, locate } from '../context/index.js';
import { boxOf } from '../geometry.js';
import { openAnnotate } from '../panels/annotate.js';

// The first element and at most 20 others (the server's bound: store/elements.h).
export const MAX_ELEMENTS = 21;
const DRAG_PX = 8; // a press that moves less is a click
const SCAN_MAX = 5000; // elements looked at for the components inside an area

let picked = []; // [{host, extraHosts, target, mark}]
let press = null; // {x, y, band}
let dragged = false; // the click that ends a drag is not a click

const boxStyle = 'position:fixed;pointer-events:none;border:2px dashed #8b5cf6;background:rgba(139,92,246,.08);border-radius:2px;';

function placeMarks() {
  picked.forEach((p, i) => {
    const r = boxOf(p.host, p.extraHosts);
    p.mark.style.display = r ? 'block' : 'none';
    if (r) Object.assign(p.mark.style, { left: r.left + 'px', top: r.top + 'px', width: r.width + 'px', height: r.height + 'px' });
    p.mark.firstChild.textContent = String(i + 1);
  });
}

// Forgets the Shift+clicked elements (inspecting ended, or the panel opened).
export function unpick() {
  for (const p of picked) p.mark.remove();
  picked = [];
  removeEventListener('scroll', placeMarks, true);
}

function toggle(target) {
  const loc = locate(target);
  const at = picked.findIndex((p) => p.host === loc.host);
  if (at >= 0) { picked[at].mark.remove(); picked.splice(at, 1); placeMarks(); return; }
  if (picked.length >= MAX_ELEMENTS - 1) return;
  const mark = h('div', { style: boxStyle, 'data-role': 'picked' },
    h('span', { style: 'position:absolute;top:-18px;left:-2px;background:#8b5cf6;color:#fff;font:11px sans-serif;padding:1px 5px;border-radius:3px' }));
  root.append(mark);
  if (!picked.length) addEventListener('scroll', placeMarks, { capture: true, passive: true });
  picked.push({ host: loc.host, extraHosts: loc.extraHosts, target, mark });
  placeMarks();
}

// Opens the panel for `targets` (described in order: the first one leads).
function open(targets, selectionText, region) {
  const [first, ...others] = targets.map((t) => describe(t));
  first.boundingBox = rectOf(first);
  first.others = others;
  if (region) first.region = region;
  unpick();
  setInspecting(false);
  openAnnotate(first, selectionText);
}

// The inspect click on `target`.
export function pick(target, shift) {
  if (!state.inspecting) return;
  if (dragged) { dragged = false; return; }
  if (shift) { toggle(target); return; }
  const selectionText = String(window.getSelection ? window.getSelection() : '').trim().slice(0, 5000);
  const hostOf = locate(target).host;
  const earlier = picked.filter((p) => p.host !== hostOf).map((p) => p.target);
  open([...earlier, target], selectionText);
}

// Components wholly inside `area` (viewport box), outermost first, bounded.
export function componentsInside(area) {
  const found = [];
  const all = document.body ? document.body.getElementsByTagName('*') : [];
  const within = (r) => r && r.width && r.height && r.left >= area.left - 1 && r.top >= area.top - 1 &&
    r.right <= area.right + 1 && r.bottom <= area.bottom + 1;
  for (let i = 0; i < all.length && i < SCAN_MAX && found.length < MAX_ELEMENTS; i++) {
    const el = all[i];
    if (el === host || !within(el.getBoundingClientRect())) continue;
    const loc = locate(el);
    if (found.some((f) => f === loc.host || (loc.framework === 'html' && f.contains(loc.host)))) continue;
    if (within(boxOf(loc.host, loc.extraHosts))) found.push(loc.host);
  }
  return found;
}

function band(x, y) {
  const left = Math.min(press.x, x), top = Math.min(press.y, y);
  return { left, top, right: Math.max(press.x, x), bottom: Math.max(press.y, y), width: Math.abs(x - press.x), height: Math.abs(y - press.y) };
}

function onMove(e) {
  if (!press) return;
  if (!press.band && Math.hypot(e.clientX - press.x, e.clientY - press.y) < DRAG_PX) return;
  if (!press.band) {
    press.band = h('div', { style: boxStyle + 'border-style:solid;border-color:#3b82f6', 'data-role': 'area' });
    root.append(press.band);
  }
  const b = band(e.clientX, e.clientY);
  Object.assign(press.band.style, { left: b.left + 'px', top: b.top + 'px', width: b.width + 'px', height: b.height + 'px' });
}

// The inspect press (pointerdown / pointerup), which inspect.js swallows.
export function pressed(e) {
  if (!state.inspecting || e.button !== 0) return;
  if (e.type === 'pointerdown') {
    press = { x: e.clientX, y: e.clientY, band: null };
    addEventListener('pointermove', onMove, { capture: true, passive: true });
    return;
  }
  if (e.type !== 'pointerup' || !press) return;
  removeEventListener('pointermove', onMove, true);
  const drawn = press.band;
  const area = drawn && band(e.clientX, e.clientY);
  if (drawn) drawn.remove();
  press = null;
  if (!area || area.width < DRAG_PX || area.height < DRAG_PX) return;
  dragged = true;
  setTimeout(() => { dragged = false; }, 0);
  let inside = componentsInside(area);
  if (!inside.length) {
    const centre = document.elementFromPoint(area.left + area.width / 2, area.top + area.height / 2);
    inside = centre && centre !== host ? [centre] : [document.body];
  }
  const region = { x: Math.round(area.left), y: Math.round(area.top), width: Math.round(area.width), height: Math.round(area.height) };
  open(inside, '', region);
}
