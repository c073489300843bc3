// One badge per annotation on *its* element, coloured by status (SPEC §8);
// queued submissions (not yet confirmed by the server) in a distinct style;
// annotations whose element can't be re-found with confidence in the
// "unplaced" tray, never on another element. Layout runs at most once per
// animation frame, reads all boxes first, then writes.
import { COLORS, QUEUED_COLOR } from './config.js';
import { h } from './dom.js';
import { state, on } from './state.js';
import { badgeLayer, tray, host } from './ui.js';
import { boxOf } from './geometry.js';
import { refind } from './anchor.js';
import { elementOf, inflight } from './connection.js';

const badges = new Map(); // id (or queued local id) -> badge element
const placed = new Map(); // annotation id -> element found by the anchor
let queuedLayout = false;
let domDirty = true;
let openHandler = () => {};
let afterLayout = () => {};

export function onBadgeClick(fn) { openHandler = fn; }
export function onLayout(fn) { afterLayout = fn; }

export function scheduleLayout(dom) {
  if (dom) domDirty = true;
  if (queuedLayout) return;
  queuedLayout = true;
  requestAnimationFrame(layout);
}

const samePage = (a) => {
  if (!a.pageUrl) return true;
  try {
    const u = new URL(a.pageUrl);
    return u.origin === location.origin && u.pathname === location.pathname;
  } catch { return true; }
};

// The element of annotation `a` on this page, or null.
export function elementFor(a) {
  const made = elementOf.get(a.id);
  if (made && made.isConnected) return made;
  const known = placed.get(a.id);
  if (known && known.isConnected) return known;
  placed.delete(a.id);
  if (!domDirty && known === null) return null;
  if (!samePage(a)) { placed.set(a.id, null); return null; }
  const el = refind(a);
  placed.set(a.id, el && !host.contains(el) ? el : null);
  return placed.get(a.id);
}

function badgeFor(key, onclick) {
  let b = badges.get(key);
  if (!b) {
    b = h('div', { class: 'badge', 'data-id': key, onclick });
    badges.set(key, b);
  }
  return b;
}

// Writes only what changed since this badge's last layout: a no-op write still
// dirties the badge (textContent makes a new text node), and every layout
// after a scroll would then recompute 300 badges' style before its first read.
const written = new WeakMap();
function write(b, values) {
  let last = written.get(b);
  if (!last) written.set(b, (last = {}));
  for (const k in values) {
    const v = values[k];
    if (last[k] === v) continue;
    last[k] = v;
    if (k === 'text') b.textContent = v;
    else if (k === 'className' || k === 'title') b[k] = v;
    else if (k === 'status' || k === 'placed') b.dataset[k] = v;
    else b.style[k] = v;
  }
}

// Centre inside the box (near its top-right corner), so it sits on its element.
function positionFor(r) {
  const cx = Math.max(r.left + Math.min(12, r.width / 2), r.right - 12);
  const cy = r.top + Math.min(12, r.height / 2);
  return { left: cx - 10, top: cy - 10 };
}
const visible = (r) => r.bottom > 0 && r.right > 0 && r.top < window.innerHeight && r.left < window.innerWidth;

// One layout now (benchmarks); `dom` as if the DOM had changed.
export function layoutNow(dom) {
  if (dom) domDirty = true;
  layout();
}

function layout() {
  queuedLayout = false;
  if (state.hidden) return;
  const items = [];
  let n = 0;
  // Reads.
  for (const a of state.annotations.values()) {
    n++;
    const el = elementFor(a);
    items.push({ key: a.id, a, n, el, box: el ? boxOf(el) : null });
  }
  for (const e of inflight) {
    n++;
    const el = e.element && e.element.isConnected ? e.element : null;
    items.push({ key: e.localId, queued: e, n, el, box: el ? boxOf(el, e.extraHosts) : null });
  }
  domDirty = false;
  // Writes.
  const keep = new Set();
  const unplaced = [];
  for (const it of items) {
    keep.add(it.key);
    const b = badgeFor(it.key, (ev) => { ev.stopPropagation(); if (it.a) openHandler(it.a.id, b); });
    write(b, it.queued ? {
      text: String(it.n),
      className: 'badge queued',
      status: 'queued',
      title: 'queued (not yet delivered): ' + it.queued.message.payload.annotationText,
      background: QUEUED_COLOR,
    } : {
      text: String(it.n),
      className: 'badge',
      status: it.a.status,
      title: `${it.a.status}: ${it.a.annotationText}`,
      background: COLORS[it.a.status] || '#64748b',
    });
    if (!it.el || !it.box) {
      if (it.el && !it.box) { write(b, { display: 'none' }); if (b.parentNode !== badgeLayer) badgeLayer.append(b); continue; }
      write(b, { placed: 'false', display: 'flex', left: '', top: '' });
      unplaced.push(b);
      continue;
    }
    if (b.parentNode !== badgeLayer) badgeLayer.append(b);
    if (!visible(it.box)) { write(b, { placed: 'true', display: 'none' }); continue; }
    const p = positionFor(it.box);
    write(b, { placed: 'true', display: 'flex', left: p.left + 'px', top: p.top + 'px' });
  }
  for (const b of unplaced) if (b.parentNode !== tray) tray.append(b);
  tray.style.display = unplaced.length ? 'flex' : 'none';
  for (const [key, b] of badges) {
    if (!keep.has(key)) { b.remove(); badges.delete(key); placed.delete(key); }
  }
  afterLayout();
}

export function startBadges() {
  on('annotations', () => scheduleLayout(true));
  window.addEventListener('scroll', () => scheduleLayout(false), { capture: true, passive: true });
  window.addEventListener('resize', () => scheduleLayout(false), { passive: true });
  const observe = () => new MutationObserver(() => {
    if (badges.size || state.annotations.size || inflight.length) scheduleLayout(true);
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, characterData: true });
  if (document.documentElement) observe();
}
