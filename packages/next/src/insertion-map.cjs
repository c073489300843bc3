// A source map (v3) for text made by inserting strings into an original
// (the stamps' ` data-nga-src="…"` attributes, the overlay's script tag),
// so that positions in the loader's output map back to what the user wrote
// and DevTools shows the file without our insertions. Found by walking both
// texts: where they differ, the output has an insertion, which never
// contains a newline. Node's modules only.
'use strict';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function vlq(n) {
  let v = n < 0 ? ((-n) << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v) digit |= 32;
    out += B64[digit];
  } while (v);
  return out;
}

// The insertions: [{at (offset in original), text}], or null when `output`
// is not `original` with insertions (then no map is better than a wrong one).
function insertions(original, output, markers) {
  const out = [];
  let i = 0; let j = 0;
  while (i < original.length || j < output.length) {
    // An insertion starts with a marker the original does not have here
    // (it may start with a space the original has too).
    const marker = markers.find((m) => output.startsWith(m.start, j) && !original.startsWith(m.start, i));
    if (!marker) {
      if (i < original.length && original[i] === output[j]) { i++; j++; continue; }
      return null;
    }
    const end = marker.end(output, j);
    if (end < 0) return null;
    out.push({ at: i, text: output.slice(j, end) });
    j = end;
  }
  return out;
}

const WORD = /[\w$]/;
const startsToken = (text, i) => !/\s/.test(text[i]) && (!WORD.test(text[i]) || !WORD.test(text[i - 1]));

// `markers`: [{start: string, end(output, from) -> offset after the insertion}].
function insertionMap(original, output, file, markers) {
  const found = insertions(original, output, markers);
  if (!found || found.some((f) => f.text.includes('\n'))) return null;
  const lines = [];
  let seg = [];
  let prevOrigLine = 0; let prevOrigCol = 0; let genCol = 0; let prevGenCol = 0;
  let origLine = 0; let origCol = 0; let k = 0;
  const mark = () => {
    seg.push(vlq(genCol - prevGenCol) + vlq(0) + vlq(origLine - prevOrigLine) + vlq(origCol - prevOrigCol));
    prevGenCol = genCol; prevOrigLine = origLine; prevOrigCol = origCol;
  };
  mark();
  for (let i = 0; i <= original.length; i++) {
    while (k < found.length && found[k].at === i) { genCol += found[k].text.length; k++; mark(); }
    if (i === original.length) break;
    // A segment where each token starts (as magic-string's 'boundary'): map
    // consumers do not interpolate between segments.
    if (i > 0 && startsToken(original, i) && seg.length && !(prevGenCol === genCol)) mark();
    if (original[i] === '\n') {
      lines.push(seg.join(',')); seg = []; origLine++; origCol = 0; genCol = 0; prevGenCol = 0; mark();
    } else { origCol++; genCol++; }
  }
  lines.push(seg.join(','));
  return { version: 3, file, sources: [file], sourcesContent: [original], names: [], mappings: lines.join(';') };
}

module.exports = { insertionMap };
