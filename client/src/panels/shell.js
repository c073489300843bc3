// The one panel: which view it shows, and where. It opens next to the element
// (or badge) it is about and flips to the other side to stay in the viewport.
import { panel } from '../ui.js';

export const current = { mode: null, id: null, near: null };

const GAP = 8;
const MARGIN = 8;

// Places the panel beside `rect` (a DOMRect-like): right, else left, else
// below, else above; clamped to the viewport. No rect: bottom-right corner.
export function placePanel(rect) {
  const s = panel.style;
  const vw = window.innerWidth, vh = window.innerHeight;
  const w = Math.min(panel.offsetWidth || 380, vw - 2 * MARGIN);
  const ph = Math.min(panel.offsetHeight || 200, vh - 2 * MARGIN);
  let left, top, side;
  if (!rect) {
    left = vw - w - 16; top = vh - ph - 64; side = 'corner';
  } else if (rect.right + GAP + w <= vw - MARGIN) {
    left = rect.right + GAP; top = rect.top; side = 'right';
  } else if (rect.left - GAP - w >= MARGIN) {
    left = rect.left - GAP - w; top = rect.top; side = 'left';
  } else if (rect.bottom + GAP + ph <= vh - MARGIN) {
    left = rect.left; top = rect.bottom + GAP; side = 'below';
  } else {
    left = rect.left; top = rect.top - GAP - ph; side = 'above';
  }
  left = Math.max(MARGIN, Math.min(left, vw - w - MARGIN));
  top = Math.max(MARGIN, Math.min(top, vh - ph - MARGIN));
  s.left = left + 'px';
  s.top = top + 'px';
  s.right = s.bottom = 'auto';
  panel.dataset.side = side;
}

// Shows `content` as view `mode` (about annotation `id`, near `near`: a rect
// or a function returning one; undefined keeps the current place).
export function showPanel(mode, id, content, near) {
  current.mode = mode;
  current.id = id || null;
  if (near !== undefined) current.near = near || null; // else: stays where it was
  panel.dataset.mode = mode;
  panel.replaceChildren(...content.flat(3).filter((c) => c != null && c !== false));
  panel.style.display = 'block';
  const r = typeof current.near === 'function' ? current.near() : current.near;
  placePanel(r);
}

export function closePanel() {
  current.mode = current.id = current.near = null;
  panel.style.display = 'none';
  panel.replaceChildren();
}

export const isSubmitKey = (e) => (e.code === 'Enter' || e.code === 'NumpadEnter' || e.key === 'Enter') &&
  ((e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) || e.ctrlKey || e.metaKey);
