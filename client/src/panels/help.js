// The help panel: agent indicator (green while the heartbeat is under 40 s
// old), connection, shortcuts, yolo toggle, hide.
import { AGENT_FRESH_MS } from '../config.js';
import { h } from '../dom.js';
import { state } from '../state.js';
import { send, connected, serverUrl } from '../connection.js';
import { showPanel, closePanel } from './shell.js';
import { statusPill } from './common.js';

export function agentActive() {
  const t = state.heartbeat ? Date.parse(state.heartbeat) : NaN;
  return Number.isFinite(t) && Date.now() - t < AGENT_FRESH_MS;
}

// What the help view shows, to tell whether it needs rebuilding.
export const helpKey = () => JSON.stringify([agentActive(), !!(state.session && state.session.yoloMode), connected(), state.more, state.older.length, state.olderCursor]);

// Asks the server for the next page of older finished annotations.
export function loadOlder() {
  if (state.olderCursor === null) return;
  send({ type: 'annotations:page', before: state.olderCursor ?? null, limit: 50 });
}

export function renderHelp({ inspect, hide }) {
  const active = agentActive();
  const yolo = !!(state.session && state.session.yoloMode);
  const key = (k, what) => h('li', null, h('kbd', null, k), ' ', what);
  showPanel('help', null, [
    h('h3', null, 'ng-annotate'),
    h('div', { class: 'row', 'data-field': 'agent', 'data-active': String(active) },
      h('span', { class: 'dot', style: `background:${active ? '#22c55e' : '#94a3b8'}` }),
      active ? 'Agent connected' : 'No agent activity in the last 40 s'),
    h('div', { class: 'row muted' }, connected() ? 'Connected to ' + serverUrl() : 'Reconnecting to ' + serverUrl() + '…'),
    state.more > 0 ? h('div', { class: 'row muted', 'data-field': 'more' }, `${state.more} older finished annotations not shown `,
      state.olderCursor !== null ? h('button', { 'data-action': 'older', onclick: loadOlder }, state.older.length ? 'Show more' : 'Show') : null) : null,
    state.older.length ? h('ul', { class: 'row', 'data-field': 'older' }, state.older.map((a) => h('li', null,
      statusPill(a.status), ' ', a.componentName ? h('b', null, a.componentName + ': ') : null, String(a.annotationText || '').slice(0, 120)))) : null,
    h('ul', null,
      key('Alt+Shift+A', 'inspect on/off'), key('Esc', 'back'), key('Alt+Shift+H', 'hide/show'),
      key('Alt+Shift+X', 'clear this session'), key('Ctrl/⌘+Enter', 'send')),
    h('label', { class: 'row', style: 'display:block' },
      h('input', { type: 'checkbox', 'data-action': 'yolo', checked: yolo, onchange: () => send({ type: 'session:yolo-toggle' }) }),
      ' Yolo mode (diffs are applied without asking)'),
    h('div', null,
      h('button', { class: 'primary', 'data-action': 'inspect', onclick: () => { closePanel(); inspect(true); } }, 'Inspect'),
      h('button', { 'data-action': 'hide', onclick: () => { closePanel(); hide(true); } }, 'Hide'),
      h('button', { 'data-action': 'close', onclick: closePanel }, 'Close')),
  ], null);
}
