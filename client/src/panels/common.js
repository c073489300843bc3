// Pieces several panels share.
import { COLORS } from '../config.js';
import { h } from '../dom.js';

export function statusPill(status) {
  return h('span', { class: 'status', 'data-field': 'status', style: `background:${COLORS[status] || '#64748b'}` }, status);
}

// `src/app/x.ts:12` from a location `file:line[:col]` in the component's file
// or its template (Angular's external `x.html`), else the component's file alone.
export function fileLine(sourceLocation, file, template) {
  const m = /^(.+?):(\d+)(?::\d+)?$/.exec(String(sourceLocation || ''));
  if (m && (!file || m[1] === file || (template && m[1] === template))) return `${m[1]}:${m[2]}`;
  return file || (m ? `${m[1]}:${m[2]}` : '');
}

// The line under a panel's title: where the clicked element is written.
export function whereLine(fields) {
  const where = fileLine(fields.sourceLocation, fields.componentFilePath, fields.templateFilePath);
  if (where) return h('div', { class: 'muted row', 'data-field': 'file' }, where);
  if (fields.elementPath) return h('div', { class: 'muted row', 'data-field': 'element' }, fields.elementPath);
  return null;
}

// Rebuilding a view must not lose what the user was typing: value, focus, selection.
export function keepDraft(oldArea, newArea, hadFocus) {
  if (!oldArea) return;
  newArea.value = oldArea.value;
  if (hadFocus) {
    newArea.focus();
    try { newArea.setSelectionRange(oldArea.selectionStart, oldArea.selectionEnd); } catch { /* detached */ }
  }
}
