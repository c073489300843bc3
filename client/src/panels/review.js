// The before/after check in the thread panel (issue 18): once the agent has
// resolved an annotation, its element as the user saw it when sending it
// beside the same element once the change landed (lazy/after-check.js), and
// the user's verdict: Accept (resolved -> accepted, closed) or Reopen with a
// note (back to pending; the note is a user reply that wakes the agent's
// watch_annotations). The server allows both only on this session's resolved
// annotations.
import { h } from '../dom.js';
import { send } from '../connection.js';
import { COLORS } from '../config.js';
import { root } from '../ui.js';
import { afterShots, shotUrl, UPDATE_WAIT_MS } from '../lazy/after-check.js';

// Here rather than in styles.js and config.js, so the page's first load
// (client.js) stays as it was: nothing before this chunk shows a verdict.
const CSS = `
.review { display: flex; gap: 8px; margin: 6px 0; }
.review figure { flex: 1; margin: 0; min-width: 0; }
.review figcaption { font-size: 11px; color: #64748b; margin-bottom: 2px; }
.review img { display: block; max-width: 100%; max-height: 160px; border: 1px solid #e2e8f0; }
.needs-note { color: #b91c1c; font-size: 12px; }
button.accept { background: #15803d; color: #fff; border-color: #15803d; }
`;
export const ACCEPTED_COLOR = '#15803d';

export function startReview() {
  root.append(h('style', null, CSS));
  COLORS.accepted = ACCEPTED_COLOR;
}

const SHOWN = new Set(['resolved', 'accepted']);

function image(label, src, field, missing) {
  const img = h('img', { src, alt: `${label} screenshot`, 'data-field': field });
  img.addEventListener('error', () => img.replaceWith(h('div', { class: 'muted', 'data-field': `${field}-missing` }, missing)));
  return h('figure', null, h('figcaption', null, label), img);
}

function afterFigure(a) {
  const local = afterShots.get(a.id);
  const phase = local ? local.phase : 'stored';
  const note = (text) => h('figure', null, h('figcaption', null, 'After'), h('div', { class: 'muted', 'data-field': 'after-state' }, text));
  if (phase === 'waiting' || phase === 'checking') {
    return note(`Waiting for your page to show the change (at most ${UPDATE_WAIT_MS / 1000} s)…`);
  }
  if (phase === 'capturing') return note('Drawing the element…');
  if (phase === 'failed') return note(`No after screenshot: ${local.why}.`);
  const fig = image('After', local && local.url ? local.url : shotUrl(a.id, 'after', a.updatedAt), 'after', 'No after screenshot.');
  if (local && local.noUpdate) {
    fig.append(h('div', { class: 'muted', 'data-field': 'no-update' },
      `No page update was seen within ${UPDATE_WAIT_MS / 1000} s: this is the page as it is now.`));
  }
  return fig;
}

// Before and after side by side, for a resolved or accepted annotation.
export function reviewBlock(a) {
  if (!SHOWN.has(a.status)) return null;
  return h('div', { class: 'review', 'data-field': 'review' },
    image('Before', shotUrl(a.id, 'before', a.createdAt), 'before', 'No before screenshot (none was sent).'),
    afterFigure(a));
}

// Accept and Reopen while resolved. Reopen sends the note typed in `area`;
// without one it asks for it (the agent needs to know what is still wrong).
export function reviewButtons(a, area, hint) {
  if (a.status !== 'resolved') return [];
  const reopen = () => {
    const message = area.value.trim();
    if (!message) {
      hint.textContent = 'Say what is still wrong, then Reopen: the agent gets it with the annotation.';
      area.focus();
      return;
    }
    send({ type: 'annotation:reopen', id: a.id, message });
    area.value = '';
  };
  return [
    h('button', { class: 'accept', 'data-action': 'accept', title: 'The change is right: close this annotation', onclick: () => send({ type: 'annotation:accept', id: a.id }) }, 'Accept'),
    h('button', { 'data-action': 'reopen', title: 'Send it back to the agent with your note', onclick: reopen }, 'Reopen'),
  ];
}
