// Text insertions with their source map. Every edit the stamps make is an
// insertion (an attribute after a tag name, a call before a statement), so the
// map is exact and cheap to write by hand: each token of the original text
// keeps a segment pointing at its own line and column, and each inserted run
// points at the position it was inserted at. Downstream tools (esbuild, oxc,
// the Vue and Svelte compilers) chain onto this map, so DevTools shows the
// user's real text (`sourcesContent`) with the right columns. Depends on
// nothing (the Next.js loader uses it outside Vite too).

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

// One base64 VLQ number of the source map v3 `mappings` string.
function vlq(n) {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v) digit |= 32;
    out += B64[digit];
  } while (v);
  return out;
}

// One segment per token: a run of identifier characters, or any other
// non-blank character. A regex finds them (natively, fast even before the
// JIT warms up on a cold dev-server start).
const TOKEN = /[\w$]+|[^\s\w$]/g;

// `inserts` is [{at, text}] (offsets into `text`, any order; equal offsets
// keep their order). `source` names the original file in the map. Returns
// {code, map} with a v3 map whose sourcesContent is `text` itself.
export function applyInsertions(text, inserts, source) {
  const sorted = inserts.map((x, i) => ({ at: x.at, text: x.text, i })).sort((a, b) => a.at - b.at || a.i - b.i);
  const parts = [];
  let copied = 0;
  const lines = []; // `mappings` per generated line
  let segs = [];
  let genCol = 0; // generated column of `text[lineStart]` plus what was inserted before on this line
  let prevGenCol = 0;
  let prevLine = 0;
  let prevCol = 0;
  const segment = (gen, line, col) => {
    segs.push(vlq(gen - prevGenCol) + 'A' + vlq(line - prevLine) + vlq(col - prevCol));
    prevGenCol = gen;
    prevLine = line;
    prevCol = col;
  };
  const endLine = () => {
    lines.push(segs.join(','));
    segs = [];
    prevGenCol = 0;
  };
  // Segments for the tokens of text[from, to) on original line `line` (from
  // its start `lineStart`), `shift` being how far inserted text moved them.
  const tokens = (from, to, line, lineStart, shift) => {
    TOKEN.lastIndex = from;
    for (let m; (m = TOKEN.exec(text)) && m.index < to;) segment(m.index - lineStart + shift, line, m.index - lineStart);
  };

  let k = 0;
  let line = 0;
  for (let lineStart = 0; lineStart <= text.length; line++) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? text.length : nl;
    let shift = 0;
    let from = lineStart;
    // Insertions on this line (at its end included, not at the next line's start).
    while (k < sorted.length && sorted[k].at <= lineEnd) {
      const at = sorted[k].at;
      tokens(from, at, line, lineStart, shift);
      parts.push(text.slice(copied, at));
      copied = at;
      for (; k < sorted.length && sorted[k].at === at; k++) {
        const add = sorted[k].text;
        segment(at - lineStart + shift, line, at - lineStart);
        parts.push(add);
        const breaks = add.split('\n');
        for (let b = 1; b < breaks.length; b++) { endLine(); shift = -(at - lineStart); }
        shift += breaks[breaks.length - 1].length;
      }
      from = at;
    }
    tokens(from, lineEnd, line, lineStart, shift);
    endLine();
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  parts.push(text.slice(copied));
  return {
    code: parts.join(''),
    map: { version: 3, file: source, sources: [source], sourcesContent: [text], names: [], mappings: lines.join(';') },
  };
}
