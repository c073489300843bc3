'use strict';
// Preview mode of `ng build` (issue 20): what turns Angular's own template
// source locations into short source ids in the built files.
//
// With `enableTemplateSourceLocations`, the compiled templates call
// ɵɵattachSourceLocations("src/app/x/x.html", [[index, offset, line, col], ...])
// (0-based line and column), and Angular's runtime sets
// data-ng-source-location="<path>@o:<offset>,l:<line>,c:<col>" on each
// element. In the built JavaScript, after the build:
//   * each template path becomes a short file id (a hash of the path), so no
//     path is served;
//   * the runtime's attribute becomes data-nga-id with the value
//     "<file id>.<line>.<col>", the element's source id;
// and the manifest maps every such id to "<path>:<line+1>:<col+1>".
const { createHash } = require('node:crypto');

const RUNTIME_ATTRIBUTE = /(["'])data-ng-source-location\1/g;
// The runtime's value template, minified or not: `${p}@o:${o},l:${l},c:${c}`.
const RUNTIME_VALUE = /\$\{(\w+)\}@o:\$\{\w+\},l:\$\{(\w+)\},c:\$\{(\w+)\}/g;
// The calls' arguments: a template path, then [[i,o,l,c],...].
const CALL_ARGS = /(["'])([^"'\s\\]+?\.(?:html|ts))\1,(\[\[\d+,\d+,\d+,\d+\](?:,\[\d+,\d+,\d+,\d+\])*\])/g;

const fileId = (path) => createHash('sha256').update(path).digest('hex').slice(0, 8);

/**
 * Rewrites one built JavaScript file. `ids` (Map id → "path:line:col") gets
 * the ids it holds. Returns the new text, or null when nothing changed.
 */
function rewriteBuiltScript(text, ids) {
  let changed = false;
  let out = text.replace(CALL_ARGS, (_all, quote, path, locations) => {
    changed = true;
    const file = fileId(path);
    for (const [, , line, col] of JSON.parse(locations)) ids.set(`${file}.${line}.${col}`, `${path}:${line + 1}:${col + 1}`);
    return `${quote}${file}${quote},${locations}`;
  });
  out = out.replace(RUNTIME_ATTRIBUTE, (_all, quote) => { changed = true; return `${quote}data-nga-id${quote}`; });
  out = out.replace(RUNTIME_VALUE, (_all, path, line, col) => { changed = true; return `\${${path}}.\${${line}}.\${${col}}`; });
  return changed ? out : null;
}

/** True when the runtime part was found (the attribute and its value), i.e. ids will reach the page. */
function hasRuntime(text) {
  return text.includes('data-nga-id') && /\}\.\$\{\w+\}\.\$\{\w+\}/.test(text);
}

module.exports = { rewriteBuiltScript, hasRuntime, fileId };
