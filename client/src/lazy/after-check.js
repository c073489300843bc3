// The "after" half of the before/after check (issue 18). When the agent
// resolves an annotation of this tab's session, the overlay waits for the
// agent's change to reach the page, finds the same element again by its
// anchor, draws it as it drew the "before" screenshot, and sends it as
// `annotation:after` (the same image bounds as the before image: one
// WebSocket frame, the server checks them again).
//
// When has the change landed? An agent writes its files and then resolves,
// so the hot update usually reaches the page BEFORE the resolve does; a slow
// bundler (an Angular rebuild, a Next compile) can also make it arrive after.
// So the page is watched all along for hot updates, seen as the requests a
// dev server's HMR client makes for new code (Performance resource timing:
// Vite and Angular's dev server import modules with a `t=` timestamp, webpack
// and Next's webpack fetch `*.hot-update.json|js`); a page load counts as
// one. No framework hook is needed, and it works the same under `serve
// --proxy`. Updates that come over a socket with no request (Turbopack) are
// not seen that way: a DOM change inside the element's box is the fallback.
//   1. A hot update or a page load since the annotation was created: the
//      change has (probably) landed; go to 3.
//   2. Else wait, up to UPDATE_WAIT_MS after the resolve, for a hot update
//      or a DOM change inside the element; at the bound, go on anyway and
//      say so beside the image ("no update seen").
//   3. Wait until the page is quiet (no hot update, no DOM change) for
//      QUIET_MS, at most SETTLE_MAX_MS, so the image is not taken halfway
//      through a re-render; then capture.
// Times compare the server's createdAt with this page's clock: in dev both
// run on one machine.
import { state, on, emit } from '../state.js';
import { send, serverUrl } from '../connection.js';
import { host } from '../ui.js';
// The element as the badges find it: the one it was made on while still in
// the page, else the anchor's re-find (anchor.js), only on the annotation's page.
import { elementFor } from '../badges.js';
import { captureElements, screenshotField } from './screenshot.js';

export const UPDATE_WAIT_MS = 10000;
export const QUIET_MS = 500;
export const SETTLE_MAX_MS = 3000;

// What this tab knows of each annotation's after image:
// {phase: 'waiting'|'capturing'|'sent'|'failed'|'stored', url?, noUpdate?, why?}
export const afterShots = new Map();

let lastHotUpdate = performance.timeOrigin; // the page load counts as one
let lastDomChange = 0;
const domWatchers = new Set(); // (records) => void, while some capture waits

const HOT_UPDATE = /[?&]t=\d{10,}(?:&|$)|\.hot-update\.(?:json|js)(?:$|\?)/;

export const isHotUpdate = (url) => HOT_UPDATE.test(String(url));

// The daemon's HTTP origin (the socket's, which the page loaded us from).
export const serverOrigin = () => serverUrl().replace(/^ws/, 'http').replace(/\/__annotate$/, '');

function watchPage() {
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (isHotUpdate(e.name)) lastHotUpdate = Math.max(lastHotUpdate, performance.timeOrigin + e.startTime);
      }
    }).observe({ type: 'resource', buffered: true });
  } catch { /* no resource timing here: the DOM fallback remains */ }
  new MutationObserver((records) => {
    const page = records.filter((r) => r.target !== host && !host.contains(r.target));
    if (!page.length) return;
    lastDomChange = Date.now();
    for (const fn of domWatchers) fn(page);
  }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Resolves when a DOM change touches the element's box (or the element
// itself goes), or after `ms`; true if it saw one.
function domChangeNear(a, ms) {
  return new Promise((resolve) => {
    const el = elementFor(a);
    const box = el && el.getBoundingClientRect();
    const touches = (r) => {
      if (!el || !el.isConnected) return true;
      const t = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (!t) return false;
      if (el.contains(t) || t.contains(el)) return true;
      const b = t.getBoundingClientRect();
      return box && b.left < box.right && b.right > box.left && b.top < box.bottom && b.bottom > box.top;
    };
    const watcher = (records) => { if (records.some(touches)) done(true); };
    const timer = setTimeout(() => done(false), ms);
    function done(seen) { clearTimeout(timer); domWatchers.delete(watcher); resolve(seen); }
    domWatchers.add(watcher);
  });
}

async function waitForUpdate(a, resolvedAt) {
  const created = Date.parse(a.createdAt) || 0;
  if (lastHotUpdate > created) return true;
  const deadline = resolvedAt + UPDATE_WAIT_MS;
  while (Date.now() < deadline) {
    const seen = await domChangeNear(a, Math.min(250, deadline - Date.now()));
    if (seen || lastHotUpdate > created) return true;
  }
  return false;
}

async function settle() {
  const start = Date.now();
  while (Date.now() - start < SETTLE_MAX_MS) {
    const last = Math.max(lastHotUpdate, lastDomChange);
    const quietFor = Date.now() - last;
    if (quietFor >= QUIET_MS) return;
    await sleep(QUIET_MS - quietFor);
  }
}

const changed = (id) => emit('annotations', new Set([id]));

async function checkAfter(a, resolvedAt) {
  afterShots.set(a.id, { phase: 'waiting' });
  changed(a.id);
  const updated = await waitForUpdate(a, resolvedAt);
  await settle();
  const now = state.annotations.get(a.id);
  if (!now || now.status !== 'resolved') { afterShots.delete(a.id); return changed(a.id); }
  const el = elementFor(now);
  if (!el) {
    afterShots.set(a.id, { phase: 'failed', why: 'its element is not on this page now' });
    return changed(a.id);
  }
  afterShots.set(a.id, { phase: 'capturing' });
  changed(a.id);
  const shot = await captureElements([el]).catch((e) => { console.warn('ng-annotate: no after screenshot:', e); return null; });
  if (!shot) {
    afterShots.set(a.id, { phase: 'failed', why: 'the element could not be drawn' });
    return changed(a.id);
  }
  send({ type: 'annotation:after', id: a.id, screenshot: await screenshotField(shot) });
  afterShots.set(a.id, { phase: 'sent', url: shot.url, noUpdate: !updated });
  changed(a.id);
}

// Resolved before this page (or this chunk) was here: is there an after
// image already? An <img> probe, which needs no CORS when the daemon is
// another origin than the page (the plain script tag).
function storedAfter(id) {
  return new Promise((resolve) => {
    const probe = new Image();
    probe.onload = () => resolve(true);
    probe.onerror = () => resolve(false);
    probe.src = afterUrl(id, Date.now());
  });
}

export const shotUrl = (id, kind, version) =>
  `${serverOrigin()}/__annotate/annotations/${encodeURIComponent(id)}/screenshot?kind=${kind}&v=${encodeURIComponent(version || '')}`;
const afterUrl = (id, version) => shotUrl(id, 'after', version);

const REVIEWABLE = new Set(['resolved', 'accepted']);

export function startAfterCheck() {
  watchPage();
  const seen = new Map(); // id -> status this tab last saw
  const look = async (ids, live) => {
    for (const id of ids) {
      const a = state.annotations.get(id);
      if (!a) continue;
      const before = seen.get(id);
      seen.set(id, a.status);
      // Reopened: the next resolve gets an after image of its own.
      if (!REVIEWABLE.has(a.status)) { afterShots.delete(id); continue; }
      if (a.status !== 'resolved' || before === 'resolved' || afterShots.has(id)) continue;
      if (!live || before === undefined) {
        afterShots.set(id, { phase: 'checking' });
        if (await storedAfter(id)) { afterShots.set(id, { phase: 'stored' }); changed(id); continue; }
      }
      checkAfter(a, Date.now());
    }
  };
  look([...state.annotations.keys()], false);
  on('annotations', (ids) => look(ids, true));
}
