'use strict';
// A small JSON-with-comments reader that keeps where every value sits in the
// text, so angular.json can be edited by replacing one string in place: every
// other byte (formatting, key order, comments) stays as the user wrote it.

class JsoncError extends Error {}

/**
 * Parses `text`. Values are plain JS values; `spans` maps a path key
 * (JSON.stringify of the path array) to [start, end) of that value's text.
 */
function parseWithSpans(text) {
  let i = 0;
  const spans = new Map();

  const fail = (what) => {
    const line = text.slice(0, i).split('\n').length;
    throw new JsoncError(`${what} at line ${line}`);
  };
  function skip() {
    for (;;) {
      while (i < text.length && /\s/.test(text[i])) i++;
      if (text.startsWith('//', i)) {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length : nl + 1;
      } else if (text.startsWith('/*', i)) {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) fail('unterminated comment');
        i = end + 2;
      } else return;
    }
  }
  function string() {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i));
  }
  function value(path) {
    skip();
    const start = i;
    let v;
    const c = text[i];
    if (c === '{') {
      v = {};
      i++;
      skip();
      while (text[i] !== '}') {
        if (text[i] !== '"') fail('expected a key');
        const key = string();
        skip();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        v[key] = value([...path, key]);
        skip();
        if (text[i] === ',') {
          i++;
          skip();
        } else if (text[i] !== '}') fail("expected ',' or '}'");
      }
      i++;
    } else if (c === '[') {
      v = [];
      i++;
      skip();
      while (text[i] !== ']') {
        v.push(value([...path, v.length]));
        skip();
        if (text[i] === ',') {
          i++;
          skip();
        } else if (text[i] !== ']') fail("expected ',' or ']'");
      }
      i++;
    } else if (c === '"') {
      v = string();
    } else {
      const m = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
      if (!m) fail('unexpected character');
      i += m[0].length;
      v = JSON.parse(m[0]);
    }
    spans.set(JSON.stringify(path), [start, i]);
    return v;
  }

  const root = value([]);
  skip();
  if (i !== text.length) fail('trailing text');
  return { value: root, spans };
}

/** `text` with the string value at `path` replaced by `newValue`; the rest unchanged. */
function replaceString(text, spans, path, newValue) {
  const span = spans.get(JSON.stringify(path));
  if (!span) throw new JsoncError(`no value at ${path.join('.')}`);
  return text.slice(0, span[0]) + JSON.stringify(newValue) + text.slice(span[1]);
}

module.exports = { parseWithSpans, replaceString, JsoncError };
