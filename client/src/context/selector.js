// CSS selectors for an element: the full path (elementPath) and a short one
// that finds it, for frameworks without component selectors.

const SAFE_IDENT = /^[A-Za-z_][\w-]*$/;
const cssString = (s) => JSON.stringify(String(s));

// body > main > section > p:nth-of-type(2), or from the nearest #id.
export function cssPath(el) {
  const parts = [];
  for (let n = el; n && n.nodeType === 1 && n !== document.documentElement; n = n.parentElement) {
    let part = n.localName;
    if (n.id && SAFE_IDENT.test(n.id)) {
      parts.unshift(part + '#' + n.id);
      break;
    }
    const parent = n.parentElement;
    if (parent) {
      let index = 0, count = 0;
      for (const sib of parent.children) {
        if (sib.localName === n.localName) { count++; if (sib === n) index = count; }
      }
      if (count > 1) part += ':nth-of-type(' + index + ')';
    }
    parts.unshift(part);
  }
  return parts.join(' > ');
}

// Classes that look written by a person, not generated (css-modules/hash names are skipped).
const usefulClasses = (el) => [...el.classList].filter((c) => SAFE_IDENT.test(c) && !/[0-9a-f]{5,}|^_|__[\w-]{5,}$|^(ng|svelte|v)-[\w-]*\d/.test(c)).slice(0, 3);

function unique(sel, el) {
  try {
    const found = document.querySelectorAll(sel);
    return found.length === 1 && found[0] === el;
  } catch { return false; }
}

// One step of a selector for `el`: tag, classes, stable attributes.
export function stepFor(el) {
  const testid = el.getAttribute('data-testid');
  if (testid) return `[data-testid=${cssString(testid)}]`;
  if (el.id && SAFE_IDENT.test(el.id)) return el.localName + '#' + el.id;
  const classes = usefulClasses(el);
  return el.localName + classes.map((c) => '.' + c).join('');
}

// A short selector that matches `el` alone when one can be found: its own
// stable attributes or classes, else anchored on the nearest ancestor that
// has some, with :nth-of-type where siblings look alike.
export function usefulSelector(el) {
  const own = stepFor(el);
  if (unique(own, el)) return own;
  const parts = [];
  for (let n = el; n && n.nodeType === 1 && n !== document.documentElement; n = n.parentElement) {
    let part = stepFor(n);
    const parent = n.parentElement;
    if (parent && !part.includes('#') && !part.startsWith('[')) {
      let index = 0, count = 0;
      for (const sib of parent.children) {
        if (sib.localName === n.localName) { count++; if (sib === n) index = count; }
      }
      if (count > 1) part += `:nth-of-type(${index})`;
    }
    parts.unshift(part);
    const sel = parts.join(' > ');
    if (unique(sel, el)) return sel;
    if (parts.length >= 6) break;
  }
  return cssPath(el);
}
