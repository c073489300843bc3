// The shadow host and the overlay's fixed layers: highlight, badges, the
// unplaced tray, the panel, the error toast and the floating button.
import { h } from './dom.js';
import { CSS } from './styles.js';

export const host = document.createElement('ng-annotate-overlay');
host.style.cssText = 'position:fixed;inset:0;z-index:2147483647;pointer-events:none;display:block;' +
  'margin:0;padding:0;border:0;background:none;width:auto;height:auto;';
export const root = host.attachShadow({ mode: 'open' });

export const hl = h('div', { class: 'hl', part: 'highlight' });
export const hlLabel = h('div', { class: 'hl-label' });
export const badgeLayer = h('div', { class: 'badges' });
export const tray = h('div', { class: 'tray', 'data-role': 'unplaced', title: 'Annotations whose element is not on this page' },
  h('span', { class: 'tray-label' }, 'Unplaced:'));
export const panel = h('div', { class: 'panel', style: 'display:none' });
export const toast = h('div', { class: 'toast', role: 'alert' });
export const connDot = h('span', { class: 'conn' });
export const fab = h('div', { class: 'fab', title: 'ng-annotate (Alt+Shift+A to inspect)' }, '✎', connDot);
root.append(h('style', null, CSS), hl, hlLabel, badgeLayer, tray, panel, toast, fab);

// Keystrokes typed into our panel are ours: the app's global shortcuts never see them.
for (const type of ['keydown', 'keyup', 'keypress']) host.addEventListener(type, (e) => e.stopPropagation());

export const isOurs = (e) => e.composedPath().includes(host);

export function mount() {
  const attach = () => (document.documentElement || document.body).appendChild(host);
  if (document.documentElement) attach();
  else document.addEventListener('DOMContentLoaded', attach);
}

let toastTimer = 0;
export function showError(text) {
  toast.textContent = 'ng-annotate: ' + text;
  toast.style.display = 'block';
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.style.display = 'none'; }, 6000);
}
