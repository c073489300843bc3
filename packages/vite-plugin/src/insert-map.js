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

// Identifier characters: a run of them is one token (one segment).
const isWord = (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;

// `inserts` is [{at, text}] (offsets into `text`, any order; equal offsets
// keep their order). `source` names the original file in the map. Returns
// {code, map} with a v3 map whose sourcesContent is `text` itself.
export function applyInsertions(text, inserts, source) {
  const sorted = inserts.map((x, i) => ({ ...x, i })).sort((a, b) => a.at - b.at || a.i - b.i);
  let code = '';
  let copied = 0;
  let mappings = '';
  let genCol = 0;
  let lineHasSegment = false;
  let prevGenCol = 0;
  let prevLine = 0;
  let prevCol = 0;
  const segment = (line, col) => {
    mappings += (lineHasSegment ? ',' : '') + vlq(genCol - prevGenCol) + 'A' + vlq(line - prevLine) + vlq(col - prevCol);
    lineHasSegment = true;
    prevGenCol = genCol;
    prevLine = line;
    prevCol = col;
  };
  const newLine = () => {
    mappings += ';';
    genCol = 0;
    prevGenCol = 0;
    lineHasSegment = false;
  };

  let line = 0;
  let col = 0;
  let prevWord = false;
  let k = 0;
  for (let p = 0; p <= text.length; p++) {
    if (k < sorted.length && sorted[k].at === p) {
      code += text.slice(copied, p);
      copied = p;
      for (; k < sorted.length && sorted[k].at === p; k++) {
        const add = sorted[k].text;
        segment(line, col);
        code += add;
        for (let j = 0; j < add.length; j++) {
          if (add.charCodeAt(j) === 10) newLine(); else genCol++;
        }
      }
      prevWord = false; // the original text resumes: a new segment
    }
    if (p === text.length) break;
    const c = text.charCodeAt(p);
    if (c === 10) {
      newLine();
      line++;
      col = 0;
      prevWord = false;
      continue;
    }
    const word = isWord(c);
    if (c !== 32 && c !== 9 && c !== 13 && !(word && prevWord)) segment(line, col);
    prevWord = word;
    genCol++;
    col++;
  }
  code += text.slice(copied);
  return {
    code,
    map: { version: 3, file: source, sources: [source], sourcesContent: [text], names: [], mappings },
  };
}
