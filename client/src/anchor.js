// Badge anchoring (contract C5's `anchor`): a locator stored with the
// annotation that survives reloads and ordinary DOM edits, and a re-find that
// says "not found" rather than guess: an unsure match goes to the tray.
//
// anchor = { testid?, id?, stamp?, component: {name, siblings, index, count}?, tag, text? }
//   siblings: a CSS selector matching every instance of the same component
//   (index/count: this one's place among them, document order).
import { STAMP_ATTR } from './context/stamp.js';

const TEXT_MAX = 64;
const TEXT_SCAN_MAX = 1000; // elements of one tag compared by text, at most
const SAFE_ID = /^[A-Za-z][\w-]*$/;
const attrSel = (name, value) => `[${name}=${JSON.stringify(String(value))}]`;

export const fingerprint = (el) => String(el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, TEXT_MAX);

function all(selector) {
  try { return [...document.querySelectorAll(selector)]; } catch { return []; }
}

// The selector for "every instance of this component": the host's own stamp
// (every instance renders the same source line), else for Angular the host tag.
function siblingsSelector(ctx, hostStamp) {
  if (hostStamp) return attrSel(STAMP_ATTR, hostStamp);
  if (ctx.framework === 'angular' && /^[a-z][\w-]*-[\w-]*$/.test(ctx.element.localName)) return ctx.element.localName;
  return null;
}

export function makeAnchor(ctx, stamp) {
  const el = ctx.element;
  const anchor = { tag: el.localName };
  const testid = el.getAttribute('data-testid');
  if (testid) anchor.testid = testid;
  if (el.id && SAFE_ID.test(el.id)) anchor.id = el.id;
  const hostStamp = el.getAttribute(STAMP_ATTR);
  if (stamp) anchor.stamp = stamp.file + ':' + stamp.line + (stamp.column != null ? ':' + stamp.column : '');
  const siblings = siblingsSelector(ctx, hostStamp);
  if (siblings) {
    const list = all(siblings);
    anchor.component = { name: ctx.componentName, siblings, index: list.indexOf(el), count: list.length };
  }
  const text = fingerprint(el);
  if (text) anchor.text = text;
  return anchor;
}

const unique = (list) => (list.length === 1 ? list[0] : null);

// The annotation's element on this page, or null when it can't be told with confidence.
export function refind(a) {
  const anchor = a && a.anchor && typeof a.anchor === 'object' ? a.anchor : null;
  if (!anchor) return legacyRefind(a);
  if (anchor.testid) {
    const el = unique(all(attrSel('data-testid', anchor.testid)));
    if (el) return el;
  }
  if (anchor.id) {
    const el = document.getElementById(anchor.id);
    if (el && el.localName === anchor.tag) return el;
  }
  const c = anchor.component;
  if (c && c.siblings) {
    const list = all(c.siblings);
    if (list.length === 1 && c.count === 1) return list[0];
    if (anchor.text) {
      const same = list.filter((el) => fingerprint(el) === anchor.text);
      if (same.length === 1) return same[0];
      // Several alike: their order decides only when the list kept its length.
      if (same.length > 1 && list.length === c.count && same.includes(list[c.index])) return list[c.index];
      if (same.length > 1) return null;
    }
    if (list.length === c.count && c.index >= 0 && list[c.index]) {
      // Same number of instances, same place: the same one, unless its text says otherwise.
      const el = list[c.index];
      if (!anchor.text || list.every((x) => fingerprint(x) !== anchor.text)) return el;
    }
    return null;
  }
  // No component identity: the element path, checked against tag and text.
  const el = legacyRefind(a);
  if (el && el.localName === anchor.tag && (!anchor.text || fingerprint(el) === anchor.text)) return el;
  if (anchor.text && anchor.tag && anchor.tag !== 'body' && anchor.tag !== 'html') {
    const candidates = all(anchor.tag);
    if (candidates.length > TEXT_SCAN_MAX) return null; // too many to compare on every DOM change
    const same = candidates.filter((x) => fingerprint(x) === anchor.text);
    // Only the innermost of nested look-alikes counts.
    const inner = same.filter((x) => !same.some((y) => y !== x && x.contains(y)));
    return unique(inner);
  }
  return null;
}

// Annotations from before anchors: the exact element path, nothing looser (a
// bare `div` selector used to land badges on the wrong element).
function legacyRefind(a) {
  if (!a || !a.elementPath) return null;
  try { return document.querySelector(a.elementPath); } catch { return null; }
}
