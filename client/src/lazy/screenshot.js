// The screenshot sent with an annotation (issue 18): the element plus a small
// margin, drawn from the DOM by modern-screenshot (chosen by measuring on the
// fixture apps: bench/capture_libs.mjs), at a device pixel ratio of at most 2,
// at most MAX_SIDE pixels on its long side and MAX_BYTES (the server's bounds,
// store/screenshot.h), WebP where the browser encodes it, else PNG. Lives in
// capture.js, so the page's first load does not carry it.
//
// The margin comes from the page itself: the nearest ancestor whose box holds
// the element's box and the margin is drawn, then cut to that box. An ancestor
// too large to draw quickly (over MAX_NODES elements) is not used: the
// element alone is drawn, with a plain margin.
import { createContext, destroyContext, domToCanvas } from 'modern-screenshot';
import { host } from '../ui.js';
import { rawFetch } from '../raw-fetch.js';

export const MARGIN = 8;
export const MAX_DPR = 2;
export const MAX_SIDE = 1600;
export const MAX_BYTES = 300 * 1024;
const MAX_NODES = 1500;
const BLANK = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

// What drawing fetches (images, fonts) goes through the unhooked fetch: it is
// the overlay's traffic, not the page's, and must not show in its log. A
// resource that fails is drawn blank.
async function fetchAsDataUrl(url) {
  try {
    const res = await rawFetch(url, { cache: 'force-cache' });
    if (!res.ok) return BLANK;
    const blob = await res.blob();
    return await new Promise((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => resolve(BLANK);
      reader.readAsDataURL(blob);
    });
  } catch {
    return BLANK;
  }
}

const union = (rects) => {
  const left = Math.min(...rects.map((r) => r.left)), top = Math.min(...rects.map((r) => r.top));
  const right = Math.max(...rects.map((r) => r.right)), bottom = Math.max(...rects.map((r) => r.bottom));
  return { left, top, right, bottom, width: right - left, height: bottom - top };
};

// The node to draw and the box (viewport coordinates) to keep of it: the
// elements with their margin, or exactly `area` (a region the user dragged
// over), which the nearest ancestor holding it is drawn for, the whole body
// if need be.
function source(elements, area) {
  elements = elements.filter((e) => e && e.isConnected);
  if (!elements.length) return null;
  const box = area || union(elements.map((e) => e.getBoundingClientRect()));
  const m = area ? 0 : MARGIN;
  const want = { left: box.left - m, top: box.top - m, right: box.right + m, bottom: box.bottom + m };
  for (let n = elements[0].parentElement; n && n !== document.documentElement; n = n.parentElement) {
    if (!elements.every((e) => n.contains(e))) continue;
    const r = n.getBoundingClientRect();
    if (r.left <= want.left && r.top <= want.top && r.right >= want.right && r.bottom >= want.bottom) {
      if (area || n.getElementsByTagName('*').length <= MAX_NODES) return { node: n, nodeRect: r, keep: want };
      break;
    }
  }
  if (area) {
    const body = document.body;
    return { node: body, nodeRect: body.getBoundingClientRect(), keep: want };
  }
  // No ancestor holds the box with its margin cheaply: the element alone (one, or the first).
  const r = elements[0].getBoundingClientRect();
  return { node: elements[0], nodeRect: r, keep: want, padded: true };
}

// The browser's default styles, which modern-screenshot reads in a sandbox
// iframe to leave them out of the clone: read once per page and kept, with
// their hidden 0x0 iframe, instead of once per capture, where they were most
// of a capture's time (its "clone node" step; bench/capture.mjs).
let defaults = null; // {sandbox, styles}
async function draw(node, options) {
  const context = await createContext(node, options);
  if (defaults && defaults.sandbox.isConnected) {
    context.sandbox = defaults.sandbox;
    context.defaultComputedStyles = defaults.styles;
  }
  try {
    return await domToCanvas(context);
  } finally {
    if (context.sandbox) defaults = { sandbox: context.sandbox, styles: context.defaultComputedStyles };
    context.sandbox = undefined; // kept: destroyContext would remove it and clear the styles
    context.defaultComputedStyles = new Map();
    destroyContext(context);
  }
}

function encode(canvas, type, quality) {
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}

// {blob, mimeType, width, height, url} or null (nothing to draw, or it failed).
// `area` ({left, top, right, bottom}, viewport): draw that box, around `elements`.
export async function captureElements(elements, area) {
  const src = source(elements, area);
  if (!src) return null;
  const { node, nodeRect, keep } = src;
  const cssWidth = keep.right - keep.left, cssHeight = keep.bottom - keep.top;
  if (cssWidth < 1 || cssHeight < 1) return null;
  let scale = Math.min(MAX_DPR, window.devicePixelRatio || 1, MAX_SIDE / Math.max(cssWidth, cssHeight));
  const drawn = await draw(node, {
    scale,
    filter: (n) => n !== host && !(defaults && n === defaults.sandbox),
    fetchFn: fetchAsDataUrl,
    backgroundColor: getComputedStyle(document.body).backgroundColor || '#fff',
  });
  // Cut to the box (or place the element inside its plain margin).
  for (let attempt = 0; attempt < 4; attempt++) {
    const out = document.createElement('canvas');
    out.width = Math.max(1, Math.round(cssWidth * scale));
    out.height = Math.max(1, Math.round(cssHeight * scale));
    const g = out.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, out.width, out.height);
    const k = out.width / cssWidth; // this attempt's scale against the drawn one
    const dpr = drawn.width / nodeRect.width;
    g.drawImage(drawn,
      (keep.left - nodeRect.left) * dpr, (keep.top - nodeRect.top) * dpr, cssWidth * dpr, cssHeight * dpr,
      0, 0, cssWidth * k, cssHeight * k);
    for (const [type, quality] of [['image/webp', 0.85], ['image/webp', 0.6], ['image/png']]) {
      const blob = await encode(out, type, quality);
      if (!blob || (type === 'image/webp' && blob.type !== 'image/webp')) continue; // no WebP here
      if (blob.size <= MAX_BYTES) {
        return { blob, mimeType: blob.type, width: out.width, height: out.height, url: URL.createObjectURL(blob) };
      }
    }
    scale *= 0.7; // too heavy: smaller
  }
  return null;
}

// The payload's `screenshot` field: {mimeType, data: base64}.
export async function screenshotField(shot) {
  const data = await new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(shot.blob);
  });
  return { mimeType: shot.mimeType, data };
}
