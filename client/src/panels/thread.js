// The thread panel: the request, its status, replies by author, a reply box;
// once resolved, the before/after check (review.js).
import { h } from '../dom.js';
import { state } from '../state.js';
import { send } from '../connection.js';
import { panel, root } from '../ui.js';
import { showPanel, closePanel, current, isSubmitKey } from './shell.js';
import { statusPill, whereLine, keepDraft } from './common.js';
import { reviewBlock, reviewButtons } from './review.js';

// "Agent: " / "You: " as in the dev mode; in team mode the token's name too
// ("ci-bot (agent): "), since several people and agents share one thread.
function replyLabel(r) {
  const role = r.author === 'agent' ? 'agent' : 'reviewer';
  if (r.authorName) return `${r.authorName} (${role}): `;
  return r.author === 'agent' ? 'Agent: ' : 'You: ';
}

const TERMINAL = new Set(['resolved', 'dismissed', 'accepted']);

export function renderThread(id, near, openDiff) {
  const a = state.annotations.get(id);
  if (!a) return closePanel();
  const old = current.mode === 'thread' && current.id === id ? panel.querySelector('textarea') : null;
  const hadFocus = !!old && root.activeElement === old;
  const area = h('textarea', { placeholder: 'Reply… (Ctrl/⌘+Enter)', 'aria-label': 'reply' });
  const sendReply = () => {
    const message = area.value.trim();
    if (!message) return;
    send({ type: 'annotation:reply', id, message });
    area.value = '';
  };
  area.addEventListener('keydown', (e) => { if (isSubmitKey(e)) { e.preventDefault(); sendReply(); } });
  const open = !TERMINAL.has(a.status);
  const reviewing = a.status === 'resolved';
  if (reviewing) area.placeholder = 'What is still wrong? (for Reopen)';
  const hint = h('div', { class: 'needs-note', 'data-field': 'reopen-hint' });
  showPanel('thread', id, [
    h('h3', { 'data-field': 'name' }, a.componentName || 'Annotation'),
    whereLine(a),
    h('div', { class: 'row' }, statusPill(a.status),
      // Team mode: who made the latest status change (the token's name).
      a.statusBy ? h('span', { 'data-field': 'status-by' }, ' by ' + a.statusBy) : null),
    h('div', { class: 'reply', 'data-field': 'request' },
      a.authorName ? h('b', null, a.authorName + ': ') : null, a.annotationText),
    reviewBlock(a),
    (a.replies || []).map((r) => h('div', { class: 'reply ' + (r.author === 'agent' ? 'agent' : 'user') },
      h('b', null, replyLabel(r)), r.message)),
    open || reviewing ? area : null,
    reviewing ? hint : null,
    h('div', null,
      open ? h('button', { class: 'primary', 'data-action': 'reply', onclick: sendReply }, 'Reply') : null,
      reviewButtons(a, area, hint),
      a.diff ? h('button', { 'data-action': 'show-diff', onclick: () => openDiff(id) }, 'View diff') : null,
      a.status === 'pending' ? h('button', { 'data-action': 'delete', onclick: () => send({ type: 'annotation:delete', id }) }, 'Delete') : null,
      h('button', { 'data-action': 'close', onclick: closePanel }, 'Close')),
  ], near);
  keepDraft(old, area, hadFocus);
}
