// The loader NgAnnotatePlugin (webpack) and pluginNgAnnotate (Rsbuild)
// register, in the dev server only, before the project's own JSX compiler
// (`enforce: 'pre'`): each JSX/TSX host element of the project's own files
// gets `data-nga-src="<root-relative file>:<line>:<col>"`, by
// @ng-annotate/vite-plugin's stamp.js (imported, not copied: the Vite plugin
// and the Next loader use the same), with the source map of the insertions so
// that DevTools and the next loader see the user's own text and columns.
// JSX is found by stamp.js's scan; where the scan is unsure, the project's own
// @babel/parser reads the file if it has one (webpack apps with babel-loader
// do), else the file goes through unstamped. A file neither can read goes
// through unchanged: the project's compiler reports its error.
'use strict';
const { createRequire } = require('node:module');
const { join, relative, sep } = require('node:path');
const { pathToFileURL } = require('node:url');

let stampModule = null; // Promise of stamp.js, loaded once per process
const parsers = new Map(); // root → parseAst or null

// stamp.js's parser contract (`parseAst(code, {lang})` → an ESTree-like tree
// with `start`/`end` offsets), on the project's @babel/parser; null without one.
function projectParser(root) {
  if (parsers.has(root)) return parsers.get(root);
  let parseAst = null;
  try {
    const babel = createRequire(join(root, 'package.json'))('@babel/parser');
    parseAst = (code, { lang }) => babel.parse(code, {
      sourceType: 'module',
      plugins: lang === 'jsx' ? ['jsx'] : ['jsx', 'typescript'],
    });
  } catch { /* no Babel in this project: the scan alone */ }
  parsers.set(root, parseAst);
  return parseAst;
}

module.exports = function ngAnnotateLoader(source, map) {
  const options = (this.getOptions ? this.getOptions() : this.query) || {};
  const file = this.resourcePath || '';
  const root = options.root || this.rootContext || process.cwd();
  const text = String(source);
  if (file.includes(`${sep}node_modules${sep}`) || relative(root, file).startsWith('..') || !text.includes('<')) {
    return source;
  }
  const done = this.async();
  stampModule ??= import(pathToFileURL(require.resolve('@ng-annotate/vite-plugin/stamp')).href);
  stampModule.then(({ stampJsxWithMap }) => {
    const rel = relative(root, file).split(sep).join('/');
    const out = stampJsxWithMap(text, rel, projectParser(root), file);
    if (!out) { done(null, source, map); return; }
    // After an earlier loader with a map of its own, no map beats a wrong one
    // (composing maps is not done here).
    done(null, out.code, map ? undefined : out.map);
  }).catch((error) => done(error));
};
