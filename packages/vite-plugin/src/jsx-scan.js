// Where JSX host elements start, found by one pass over the text instead of a
// full parse. The stamp needs only the offset of each `<tag` and the end of
// its name; building a whole ESTree in JavaScript (Vite's `parseAst`) costs
// several times the framework's own TSX compile. The scanner knows just
// enough of JavaScript to skip what can hide a `<`: strings, template
// literals, comments, regular expressions; and it tells JSX from a
// comparison or a TypeScript generic by the token before it (an operand
// before `<` makes it an operator). Whenever the text is not what it expects
// (a generic arrow `<T,>()`, a type `= <T>() => T`, a tag that never closes)
// it returns null and the caller falls back to a real parser: a wrong stamp
// could break the user's code, a missing scan only costs time.

const WORD = /[\w$]/;
const NAME_START = /[A-Za-z_$]/;
const NAME_CHAR = /[\w$.:-]/;
const ATTR_CHAR = /[\w$:-]/;
const SPACE = /\s/;
// Sticky and global searches, so that runs are skipped natively.
const SPACES = /\s+/y;
const WORDS = /[\w$]+/y;
const CHILD_STOP = /[{<]/g;
const TEMPLATE_STOP = /[\\`$]/g;

// After these words an expression starts (`return <div/>`); after any other
// word or a value, `<` and `/` are operators.
const EXPRESSION_KEYWORDS = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case',
  'do', 'else', 'yield', 'await', 'default',
]);

// Points {tagStart, insertAt, name, stamped} of every JSX element with a plain
// lowercase name (`div`, `my-widget`), in text order, or null when the text
// cannot be scanned with confidence. `stamped` is true when the element
// already carries `attr`.
export function scanJsxHostElements(src, attr) {
  const points = [];
  const stack = []; // 'brace' | 'template' | {kind:'attr', tag} | 'child' | {kind:'element', name}
  let i = 0;
  const n = src.length;
  let exprStart = true; // would `<` or `/` here begin an expression?
  let mode = 'js'; // 'js' | 'tag' | 'children' | 'template'
  let tag = null; // the element whose attributes are being read (mode 'tag')

  const skipSpace = () => { SPACES.lastIndex = i; if (SPACES.test(src)) i = SPACES.lastIndex; };
  // Between attributes a tag may hold comments too.
  const skipSpaceAndComments = () => {
    for (;;) {
      skipSpace();
      if (src[i] === '/' && src[i + 1] === '/') { const e = src.indexOf('\n', i); i = e === -1 ? n : e; continue; }
      if (src[i] === '/' && src[i + 1] === '*') { const e = src.indexOf('*/', i + 2); i = e === -1 ? n : e + 2; continue; }
      return;
    }
  };

  // At `<` (src[i]) of an element in expression position: reads its name.
  // False when it is no JSX we know.
  const openTag = () => {
    const start = i;
    i++;
    if (src[i] === '>') { // fragment
      i++;
      stack.push({ kind: 'element', name: '' });
      mode = 'children';
      return true;
    }
    if (!NAME_START.test(src[i] || '')) return false;
    let j = i;
    while (j < n && NAME_CHAR.test(src[j])) j++;
    const name = src.slice(i, j);
    i = j;
    tag = { name, start, end: j, stamped: false };
    mode = 'tag';
    return true;
  };

  // A finished element: back to its parent's children, or to the JavaScript around it.
  const elementDone = () => {
    const top = stack[stack.length - 1];
    if (top && typeof top === 'object' && top.kind === 'element') mode = 'children';
    else { mode = 'js'; exprStart = false; }
  };

  const recordTag = () => {
    if (/^[a-z][\w-]*$/.test(tag.name)) points.push({ tagStart: tag.start, insertAt: tag.end, name: tag.name, stamped: tag.stamped });
  };

  while (i < n) {
    if (mode === 'template') {
      TEMPLATE_STOP.lastIndex = i;
      if (!TEMPLATE_STOP.exec(src)) return null;
      i = TEMPLATE_STOP.lastIndex - 1;
      const c = src[i];
      if (c === '\\') { i += 2; continue; }
      if (c === '`') { i++; mode = 'js'; exprStart = false; continue; }
      if (c === '$' && src[i + 1] === '{') { i += 2; stack.push('template'); mode = 'js'; exprStart = true; continue; }
      i++;
      continue;
    }

    if (mode === 'tag') {
      skipSpaceAndComments();
      const c = src[i];
      if (c === undefined) return null;
      if (c === '/' && src[i + 1] === '>') { i += 2; recordTag(); tag = null; elementDone(); continue; }
      if (c === '>') {
        i++;
        recordTag();
        stack.push({ kind: 'element', name: tag.name });
        tag = null;
        mode = 'children';
        continue;
      }
      if (c === '{') { i++; stack.push({ kind: 'attr', tag }); tag = null; mode = 'js'; exprStart = true; continue; }
      if (!ATTR_CHAR.test(c)) return null;
      let j = i;
      while (j < n && ATTR_CHAR.test(src[j])) j++;
      if (src.slice(i, j) === attr) tag.stamped = true;
      i = j;
      skipSpace();
      if (src[i] !== '=') continue; // a boolean attribute
      i++;
      skipSpace();
      const q = src[i];
      if (q === '"' || q === "'") {
        const close = src.indexOf(q, i + 1);
        if (close === -1) return null;
        i = close + 1;
      } else if (q === '{') {
        i++;
        stack.push({ kind: 'attr', tag });
        tag = null;
        mode = 'js';
        exprStart = true;
      } else {
        return null;
      }
      continue;
    }

    if (mode === 'children') {
      CHILD_STOP.lastIndex = i;
      if (!CHILD_STOP.exec(src)) return null;
      i = CHILD_STOP.lastIndex - 1;
      const c = src[i];
      if (c === '{') { i++; stack.push('child'); mode = 'js'; exprStart = true; continue; }
      let j = i + 1;
      while (j < n && SPACE.test(src[j])) j++;
      if (src[j] === '/') { // a closing tag
        const close = src.indexOf('>', j);
        if (close === -1) return null;
        const name = src.slice(j + 1, close).trim();
        const top = stack.pop();
        if (!top || typeof top !== 'object' || top.kind !== 'element' || top.name !== name) return null;
        i = close + 1;
        elementDone();
        continue;
      }
      if (!openTag()) return null;
      continue;
    }

    // mode 'js'
    const c = src[i];
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') { skipSpace(); continue; }
    if (c === '/' && src[i + 1] === '/') { const e = src.indexOf('\n', i); i = e === -1 ? n : e; continue; }
    if (c === '/' && src[i + 1] === '*') { const e = src.indexOf('*/', i + 2); if (e === -1) return null; i = e + 2; continue; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && src[j] !== c) { if (src[j] === '\\') j++; else if (src[j] === '\n') return null; j++; }
      if (j >= n) return null;
      i = j + 1;
      exprStart = false;
      continue;
    }
    if (c === '`') { i++; mode = 'template'; continue; }
    if (c === '/' && exprStart) { // a regular expression literal
      let j = i + 1;
      let inClass = false;
      while (j < n) {
        const d = src[j];
        if (d === '\\') { j += 2; continue; }
        if (d === '\n') return null;
        if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        j++;
      }
      if (j >= n) return null;
      i = j + 1;
      while (i < n && /[a-z]/.test(src[i])) i++;
      exprStart = false;
      continue;
    }
    if (c === '<' && exprStart) {
      // JSX (`<div`, `<>`); `<` followed by a space is a comparison in practice.
      if (!openTag()) return null;
      continue;
    }
    if (c === '{') { i++; stack.push('brace'); exprStart = true; continue; }
    if (c === '}') {
      i++;
      const top = stack.pop();
      if (top === 'brace') { exprStart = false; continue; }
      if (top === 'template') { mode = 'template'; continue; }
      if (top === 'child') { mode = 'children'; continue; }
      if (top && typeof top === 'object' && top.kind === 'attr') { tag = top.tag; mode = 'tag'; continue; }
      return null;
    }
    WORDS.lastIndex = i;
    if (WORDS.test(src)) {
      const j = WORDS.lastIndex;
      exprStart = EXPRESSION_KEYWORDS.has(src.slice(i, j));
      i = j;
      continue;
    }
    // Any other punctuator: an operand ends with `)` or `]`; after the rest an expression starts.
    exprStart = !(c === ')' || c === ']');
    i++;
  }
  if (mode !== 'js' || stack.length) return null;
  return points;
}
