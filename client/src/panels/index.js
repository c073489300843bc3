// Which panel is open, and when it is rebuilt: only when something it shows
// changed (the 2 s sync alone rebuilds nothing, so a text selection or a
// half-typed reply survives it).
import { state, on } from '../state.js';
import { panel, root } from '../ui.js';
import { boxOf } from '../geometry.js';
import { elementFor } from '../badges.js';
import { current, closePanel } from './shell.js';
import { renderThread } from './thread.js';
import { renderDiff } from './diff.js';
import { renderHelp, helpKey } from './help.js';

export { closePanel, current as panelState } from './shell.js';
export { openAnnotate } from './annotate.js';

let actions = { inspect: () => {}, hide: () => {} };
let shownHelp = '';

// Near the annotation's element when it is on the page, else near its badge.
const nearAnnotation = (id, badge) => () => {
  const a = state.annotations.get(id);
  const el = a && elementFor(a);
  return (el && boxOf(el)) || (badge && badge.isConnected ? badge.getBoundingClientRect() : null);
};

export function openThread(id, near) { renderThread(id, near, (x) => openDiff(x)); }
export function openDiff(id, near) { renderDiff(id, near, (x, n) => openThread(x, n)); }

export function openFor(id, badge) {
  const a = state.annotations.get(id);
  const near = nearAnnotation(id, badge);
  if (a && a.diff && a.status === 'diff_proposed') openDiff(id, near); else openThread(id, near);
}

export function openHelp() {
  shownHelp = helpKey();
  renderHelp(actions);
}
export function toggleHelp() {
  if (current.mode === 'help') closePanel(); else openHelp();
}

export function startPanels(a) {
  actions = a;
  on('annotations', (ids) => {
    if (!current.id || !ids.has(current.id)) return;
    if (current.mode === 'thread') openThread(current.id);
    else if (current.mode === 'diff') openDiff(current.id);
  });
  const refreshHelp = () => {
    if (current.mode === 'help' && helpKey() !== shownHelp && !panel.contains(root.activeElement)) openHelp();
  };
  on('heartbeat', refreshHelp);
  on('page', (list, nextCursor) => {
    const known = new Set(state.older.map((a) => a.id));
    for (const a of list) if (a && a.id && !known.has(a.id) && !state.annotations.has(a.id)) state.older.push(a);
    state.olderCursor = nextCursor;
    if (current.mode === 'help') openHelp();
  });
  on('session', refreshHelp);
  on('connection', refreshHelp);
  setInterval(refreshHelp, 5000);
}
