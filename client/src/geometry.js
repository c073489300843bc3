// Boxes for highlight and badges. A display:inline (or contents) element's own
// box can span a whole row while its content sits elsewhere (Angular hosts
// are inline by default): for those the union of the rendered children's boxes.

function union(rects) {
  let l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
  for (const x of rects) {
    if (!x || (!x.width && !x.height)) continue;
    l = Math.min(l, x.left); t = Math.min(t, x.top); r = Math.max(r, x.right); b = Math.max(b, x.bottom);
  }
  if (l === Infinity) return null;
  return { left: l, top: t, right: r, bottom: b, width: r - l, height: b - t, x: l, y: t };
}

function childRects(el, out, depth) {
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1) {
      const d = getComputedStyle(c).display;
      if (d === 'none') continue;
      if (d === 'contents' && depth < 8) childRects(c, out, depth + 1);
      else out.push(c.getBoundingClientRect());
    } else if (c.nodeType === 3 && c.data.trim()) {
      const range = document.createRange();
      range.selectNodeContents(c);
      out.push(range.getBoundingClientRect());
    }
  }
  return out;
}

// The element's visible box (a DOMRect-like), or null when it renders nothing.
export function boxOf(el, extra) {
  if (!el || !el.isConnected) return null;
  let box;
  const display = getComputedStyle(el).display;
  if (display === 'inline' || display === 'contents') {
    box = union(childRects(el, [], 0)) || (display === 'inline' ? el.getBoundingClientRect() : null);
  } else {
    box = el.getBoundingClientRect();
  }
  if (extra && extra.length) box = union([box, ...extra.filter((e) => e.isConnected).map((e) => boxOf(e))]);
  if (!box || (!box.width && !box.height)) return null;
  return box;
}
