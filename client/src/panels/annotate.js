// The annotate panel: what was clicked (name, file:line, ancestry, first
// inputs, the selected text), the other elements Shift+clicked with it or the
// area dragged over and the components inside it (lazy/pick.js), the page
// log's counts with a box to leave the log out, a thumbnail of the screenshot
// that goes with it (which the user can drop: then none is sent), and the
// request's textarea.
import { PANEL_INPUTS } from '../config.js';
import { h } from '../dom.js';
import { preview } from '../context/serialize.js';
import { buildPayload, elementsPayload, settle } from '../context/index.js';
import { sendCreate } from '../connection.js';
import { showError, panel } from '../ui.js';
import { scheduleLayout } from '../badges.js';
import { boxOf } from '../geometry.js';
import { showPanel, closePanel, isSubmitKey } from './shell.js';
import { whereLine } from './common.js';
import { pageLogCounts } from '../page-log.js';
import { pageLogSnapshot } from '../lazy/page-log-snapshot.js';
import { captureElements, screenshotField } from '../lazy/screenshot.js';

// How long a submit waits for a screenshot still being drawn.
const SHOT_WAIT_MS = 2000;

const rectFrom = (b) => (b ? { left: b.x, top: b.y, right: b.x + b.width, bottom: b.y + b.height, width: b.width, height: b.height } : null);

export function openAnnotate(ctx, selectionText) {
  const area = h('textarea', { placeholder: 'Describe the change… (Ctrl/⌘+Enter or Shift+Enter to send)', 'aria-label': 'annotation' });
  let sending = false;
  // Drawn while the user types; shown as a thumbnail once ready.
  let shot = null, dropped = false;
  const shotRow = h('div', { class: 'row muted shot', 'data-field': 'screenshot' }, 'Screenshot…');
  const others = ctx.others || [];
  const region = ctx.region;
  const box = region && { left: region.x, top: region.y, right: region.x + region.width, bottom: region.y + region.height };
  const capture = captureElements([ctx.element, ...(ctx.extraHosts || []), ...others.map((o) => o.element)], box)
    .catch((e) => { console.warn('ng-annotate: no screenshot:', e); return null; })
    .then((s) => {
      shot = s;
      if (dropped) return s;
      if (!s) { shotRow.replaceChildren('No screenshot (the element could not be drawn)'); return s; }
      shotRow.replaceChildren(
        h('img', { src: s.url, alt: 'screenshot sent with the annotation', 'data-field': 'thumbnail' }),
        h('button', { 'data-action': 'drop-screenshot', title: 'Send no screenshot', onclick: drop }, 'Drop'));
      return s;
    });
  function drop() {
    dropped = true;
    shotRow.replaceChildren('No screenshot will be sent');
    shotRow.dataset.dropped = 'true';
  }
  const submit = async () => {
    const text = area.value.trim();
    if (!text) { showError('type a change request first'); return; }
    if (sending) return;
    sending = true;
    await Promise.all([ctx, ...others].map((c) => settle(c)));
    const payload = buildPayload(ctx, text, selectionText);
    if (others.length) payload.elements = elementsPayload(others);
    if (region) payload.region = region;
    if (logBox && logBox.checked) {
      const log = await pageLogSnapshot();
      if (log) payload.pageLog = log;
    }
    if (!dropped) {
      const s = shot || await Promise.race([capture, new Promise((r) => setTimeout(() => r(null), SHOT_WAIT_MS))]);
      if (s && !dropped) payload.screenshot = await screenshotField(s).catch(() => undefined);
    }
    const entry = sendCreate(payload, ctx.element);
    entry.extraHosts = ctx.extraHosts;
    closePanel();
    scheduleLayout(true);
  };
  area.addEventListener('keydown', (e) => { if (isSubmitKey(e)) { e.preventDefault(); submit(); } });
  const logRow = pageLogRow();
  const logBox = logRow && logRow.querySelector('input');
  const entries = Object.entries(ctx.inputs || {});
  const shown = entries.slice(0, PANEL_INPUTS);
  const more = entries.length - shown.length;
  showPanel('annotate', null, [
    h('h3', { 'data-field': 'name' }, ctx.componentName),
    whereLine(ctx),
    ctx.componentTreePath.length ? h('div', { class: 'muted row', 'data-field': 'ancestry' },
      [...ctx.componentTreePath, ctx.componentName].join(' › ')) : null,
    shown.length ? h('ul', { class: 'row', 'data-field': 'inputs' },
      shown.map(([k, v]) => h('li', null, h('b', null, k), ': ', preview(v))),
      more > 0 ? h('li', { class: 'muted', 'data-field': 'more-inputs' }, `${more} more`) : null) : null,
    selectedRow(ctx, others, region),
    selectionText ? h('div', { class: 'row muted', 'data-field': 'selection' }, '“' + selectionText.slice(0, 300) + '”') : null,
    logRow,
    shotRow,
    area,
    h('div', null,
      h('button', { class: 'primary', 'data-action': 'submit', onclick: submit }, 'Send'),
      h('button', { 'data-action': 'cancel', onclick: closePanel }, 'Cancel')),
  ], () => boxOf(ctx.element, ctx.extraHosts) || rectFrom(ctx.boundingBox));
  area.focus();
  // A location still being resolved (a source map) replaces the first guess when it lands.
  if (ctx.pending) {
    ctx.pending.then(() => {
      const line = panel.querySelector('[data-field="file"]');
      const next = whereLine(ctx);
      if (line && next && panel.contains(area)) line.replaceWith(next);
    });
  }
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// "Area 320 × 200 px" and/or the elements that go with the request, numbered
// as they were picked; null for one element alone.
function selectedRow(ctx, others, region) {
  if (!others.length && !region) return null;
  const all = [ctx, ...others];
  return h('div', { class: 'row muted', 'data-field': 'selected' },
    region ? h('div', { 'data-field': 'region' }, `Area ${region.width} × ${region.height} px, ${plural(all.length, 'component', 'components')}:`)
      : h('div', null, `${all.length} elements:`),
    h('ol', { 'data-field': 'elements' }, all.map((c) => h('li', null, h('b', null, c.componentName || '?'),
      c.componentFilePath ? ' ' + c.componentFilePath : ''))));
}

// "Send page log: 2 console messages, 1 error, 1 failed request", ticked; null when
// the page said nothing.
function pageLogRow() {
  const c = pageLogCounts();
  if (!c.console && !c.errors && !c.requests) return null;
  const box = h('input', { type: 'checkbox', checked: true, 'data-action': 'include-page-log' });
  const parts = [];
  if (c.console) parts.push(plural(c.console, 'console message', 'console messages'));
  if (c.errors) parts.push(plural(c.errors, 'error', 'errors'));
  if (c.requests) parts.push(plural(c.requests, 'failed request', 'failed requests'));
  return h('label', { class: 'row muted', 'data-field': 'page-log', title: 'What the page logged since it loaded, sent with the annotation' },
    box, ' Send page log: ', parts.join(', '));
}
