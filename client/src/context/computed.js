// How the clicked element looks and what it is to assistive technology
// (issue 18): a curated set of its computed styles, and its ARIA role and
// accessible name, so a CSS request can be done without guessing.

// Always: box model, layout, colours, font, stacking, visibility.
const ALWAYS = [
  'display', 'position', 'top', 'right', 'bottom', 'left', 'z-index', 'box-sizing',
  'width', 'height', 'min-width', 'min-height', 'max-width', 'max-height',
  'overflow-x', 'overflow-y', 'border-radius', 'border-style', 'border-color',
  'color', 'background-color', 'background-image', 'opacity', 'box-shadow', 'transform',
  'font-family', 'font-size', 'font-weight', 'font-style', 'line-height', 'letter-spacing',
  'text-align', 'text-transform', 'text-decoration-line', 'white-space',
  'visibility', 'cursor', 'pointer-events',
];
// When the element is a flex or grid container.
const CONTAINER = {
  flex: ['flex-direction', 'flex-wrap', 'justify-content', 'align-items', 'align-content', 'row-gap', 'column-gap'],
  grid: ['grid-template-columns', 'grid-template-rows', 'grid-auto-flow', 'justify-items', 'justify-content', 'align-items', 'align-content', 'row-gap', 'column-gap'],
};
// When its parent is one.
const ITEM = {
  flex: ['flex-grow', 'flex-shrink', 'flex-basis', 'align-self', 'order'],
  grid: ['grid-column', 'grid-row', 'justify-self', 'align-self', 'order'],
};
const VALUE_CHARS = 256;

const kind = (display) => (/grid/.test(display) ? 'grid' : /flex/.test(display) ? 'flex' : '');

// Four sides as one CSS shorthand value ("8px 16px" style), from longhands.
function sides(cs, prefix, suffix = '') {
  const [t, r, b, l] = ['top', 'right', 'bottom', 'left'].map((s) => cs.getPropertyValue(`${prefix}-${s}${suffix}`));
  if (t === r && r === b && b === l) return t;
  if (t === b && r === l) return `${t} ${r}`;
  if (r === l) return `${t} ${r} ${b}`;
  return `${t} ${r} ${b} ${l}`;
}

// {property: value} of the curated set; {} when the element is gone.
export function computedStylesOf(el) {
  if (!el || el.nodeType !== 1 || !el.isConnected) return {};
  const cs = getComputedStyle(el);
  const out = {};
  const add = (name, value) => { if (value !== '' && value != null) out[name] = String(value).slice(0, VALUE_CHARS); };
  for (const name of ALWAYS) add(name, cs.getPropertyValue(name));
  add('margin', sides(cs, 'margin'));
  add('padding', sides(cs, 'padding'));
  add('border-width', sides(cs, 'border', '-width'));
  const own = kind(cs.display);
  for (const name of CONTAINER[own] || []) add(name, cs.getPropertyValue(name));
  const parent = el.parentElement;
  const around = parent ? kind(getComputedStyle(parent).display) : '';
  for (const name of ITEM[around] || []) add(name, cs.getPropertyValue(name));
  return out;
}

// Implicit ARIA roles of common elements (HTML-AAM), enough for a hint.
function implicitRole(el) {
  const tag = el.tagName.toLowerCase();
  const type = (el.getAttribute('type') || 'text').toLowerCase();
  switch (tag) {
    case 'a': case 'area': return el.hasAttribute('href') ? 'link' : '';
    case 'button': case 'summary': return 'button';
    case 'input':
      if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
      if (type === 'checkbox') return 'checkbox';
      if (type === 'radio') return 'radio';
      if (type === 'range') return 'slider';
      if (type === 'number') return 'spinbutton';
      if (type === 'search') return 'searchbox';
      if (type === 'hidden') return '';
      return el.hasAttribute('list') ? 'combobox' : 'textbox';
    case 'textarea': return 'textbox';
    case 'select': return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
    case 'option': return 'option';
    case 'img': return el.getAttribute('alt') === '' ? 'presentation' : 'img';
    case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': return 'heading';
    case 'ul': case 'ol': case 'menu': return 'list';
    case 'li': return 'listitem';
    case 'nav': return 'navigation';
    case 'main': return 'main';
    case 'aside': return 'complementary';
    case 'article': return 'article';
    case 'form': return 'form';
    case 'dialog': return 'dialog';
    case 'table': return 'table';
    case 'tr': return 'row';
    case 'td': return 'cell';
    case 'th': return 'columnheader';
    case 'progress': return 'progressbar';
    case 'hr': return 'separator';
    case 'section': return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') ? 'region' : '';
    case 'header': return el.closest('article, aside, main, nav, section') ? '' : 'banner';
    case 'footer': return el.closest('article, aside, main, nav, section') ? '' : 'contentinfo';
    default: return '';
  }
}

// Roles whose name comes from their content (WAI-ARIA "name from content").
const NAME_FROM_CONTENT = new Set(['button', 'link', 'heading', 'listitem', 'option', 'cell', 'columnheader',
  'row', 'tab', 'menuitem', 'checkbox', 'radio', 'switch', 'treeitem', 'tooltip']);
const NAME_CHARS = 500;
const squash = (s) => String(s || '').replace(/\s+/g, ' ').trim();

// The accessible name, after the main steps of accname 1.2: aria-labelledby,
// aria-label, a <label> of a form control, alt, content for roles named from
// it, title and placeholder. Not the full algorithm (no CSS content, no
// embedded-control values).
function accessibleName(el, role) {
  const doc = el.ownerDocument;
  const labelledby = el.getAttribute('aria-labelledby');
  if (labelledby) {
    const text = labelledby.split(/\s+/).map((id) => doc.getElementById(id)).filter(Boolean)
      .map((n) => squash(n.textContent)).join(' ');
    if (squash(text)) return squash(text);
  }
  if (squash(el.getAttribute('aria-label'))) return squash(el.getAttribute('aria-label'));
  if (el.labels && el.labels.length) {
    const text = [...el.labels].map((l) => squash(l.textContent)).join(' ');
    if (squash(text)) return squash(text);
  }
  if (el.hasAttribute('alt')) return squash(el.getAttribute('alt'));
  if (el.tagName === 'INPUT' && ['button', 'submit', 'reset'].includes(el.type)) return squash(el.value);
  if (NAME_FROM_CONTENT.has(role)) {
    const text = squash(el.innerText !== undefined ? el.innerText : el.textContent);
    if (text) return text;
  }
  return squash(el.getAttribute('title') || el.getAttribute('placeholder') || '');
}

// {role, name}: the explicit role (its first token) or the implicit one.
export function accessibilityOf(el) {
  if (!el || el.nodeType !== 1) return { role: '', name: '' };
  const explicit = squash(el.getAttribute('role')).split(' ')[0];
  const role = explicit || implicitRole(el);
  return { role: role.slice(0, 64), name: accessibleName(el, role).slice(0, NAME_CHARS) };
}
