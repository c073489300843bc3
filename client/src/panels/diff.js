// The diff panel: the proposed change as a coloured unified diff with Apply /
// Reject. Once answered (here, or already on the server) the buttons go and
// the answer shows; after an approval a "writing" state stays until the agent
// resolves.
import { h } from '../dom.js';
import { state } from '../state.js';
import { send } from '../connection.js';
import { showPanel, closePanel } from './shell.js';
import { statusPill } from './common.js';

const answered = new Map(); // id -> {response, diff}: answers sent, not yet echoed

function answerOf(a) {
  if (a.diffResponse) return { response: a.diffResponse, confirmed: true };
  const local = answered.get(a.id);
  if (local && local.diff === a.diff) return { response: local.response, confirmed: false };
  return null;
}

export function renderDiff(id, near, openThread) {
  const a = state.annotations.get(id);
  if (!a || !a.diff) return openThread(id, near);
  if (a.diffResponse) answered.delete(id);
  const lines = String(a.diff).split('\n').map((line) => {
    const cls = line.startsWith('+++') || line.startsWith('---') ? 'meta'
      : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : '';
    return h('span', { class: cls }, line || ' ');
  });
  const answer = answerOf(a);
  const canAnswer = a.status === 'diff_proposed' && !answer;
  const answerTo = (response) => () => {
    answered.set(id, { response, diff: a.diff });
    send({ type: response === 'approved' ? 'diff:approved' : 'diff:rejected', id });
    renderDiff(id, undefined, openThread);
  };
  let stateLine = null;
  if (answer) {
    const settled = a.status === 'resolved' || a.status === 'dismissed';
    const label = answer.response === 'approved' ? 'Approved' : 'Rejected';
    const waiting = !settled && (answer.response === 'approved' ? 'the agent is writing the change…' : 'waiting for the agent…');
    stateLine = h('div', { class: 'row', 'data-field': 'answer', 'data-answer': answer.response,
      'data-state': settled ? 'settled' : (answer.confirmed ? 'writing' : 'sending') },
    h('span', { class: 'answer ' + answer.response }, label),
    waiting ? h('span', { class: 'writing' }, answer.confirmed ? waiting : 'sending…') : null);
  }
  showPanel('diff', id, [
    h('h3', null, 'Proposed change — ' + (a.componentName || '')),
    h('div', { class: 'row' }, statusPill(a.status)),
    stateLine,
    h('pre', { class: 'diff' }, lines),
    h('div', null,
      canAnswer ? h('button', { class: 'primary', 'data-action': 'apply', onclick: answerTo('approved') }, 'Apply') : null,
      canAnswer ? h('button', { 'data-action': 'reject', onclick: answerTo('rejected') }, 'Reject') : null,
      h('button', { 'data-action': 'thread', onclick: () => openThread(id) }, 'Thread'),
      h('button', { 'data-action': 'close', onclick: closePanel }, 'Close')),
  ], near);
}
