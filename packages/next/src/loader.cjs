// The one loader withNgAnnotate registers for Turbopack (`turbopack.rules`)
// and webpack (dev only): the project's JSX gets the source stamps of
// @ng-annotate/vite-plugin's stamp.js (imported, not copied), and the root
// layout's <body> (or pages/_document's) the overlay's script. It parses with
// the Babel parser Next ships (next/dist/compiled/babel/parser), through the
// thin adapter below, since stamp.js takes the parser it is given. A file it
// cannot parse goes through unchanged (Next's compiler reports the error).
// A changed file gets a source map of our insertions (insertion-map.cjs).
'use strict';
const { createRequire } = require('node:module');
const { join, relative, sep } = require('node:path');
const { pathToFileURL } = require('node:url');
const { insertionMap } = require('./insertion-map.cjs');

const SCRIPT = '<script src="/__annotate/client.js" async />';
let stampModule = null; // Promise of stamp.js, loaded once per process
// What this loader inserts, for insertion-map.cjs.
const MARKERS = [
  { start: ' data-nga-src="', end: (out, from) => { const q = out.indexOf('"', from + 15); return q < 0 ? -1 : q + 1; } },
  { start: SCRIPT, end: (out, from) => from + SCRIPT.length },
];

// stamp.js's parser contract (`parseAst(code, {lang})` → an ESTree-like tree
// with `start`/`end` offsets), on Babel's parser.
function babelParseAst(root) {
  const babel = createRequire(join(root, 'package.json'))('next/dist/compiled/babel/parser');
  return (code, { lang }) => babel.parse(code, {
    sourceType: 'module',
    plugins: lang === 'jsx' ? ['jsx'] : ['jsx', 'typescript'],
    errorRecovery: false,
  });
}

// Inserts the overlay's script right after the first <body …> opening tag.
function withOverlayScript(code, parseAst, lang) {
  let body = null;
  const visit = (node) => {
    if (body || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) { for (const n of node) visit(n); return; }
    if (node.type === 'JSXOpeningElement' && node.name && node.name.name === 'body' && !node.selfClosing) { body = node; return; }
    for (const key of Object.keys(node)) if (key !== 'loc' && key !== 'extra') visit(node[key]);
  };
  visit(parseAst(code, { lang }));
  if (!body || code.includes('/__annotate/client.js')) return code;
  return code.slice(0, body.end) + SCRIPT + code.slice(body.end);
}

module.exports = function ngAnnotateLoader(source, map) {
  const done = this.async();
  const options = (this.getOptions ? this.getOptions() : this.query) || {};
  const file = this.resourcePath || '';
  const root = options.root || this.rootContext || process.cwd();
  const isEntry = (options.entries || []).includes(file);
  if (file.includes(`${sep}node_modules${sep}`) || relative(root, file).startsWith('..') || !String(source).includes('<')) {
    done(null, source, map);
    return;
  }
  stampModule ??= import(pathToFileURL(require.resolve('@ng-annotate/vite-plugin/stamp')).href);
  stampModule.then(({ stampJsx, jsxLang }) => {
    const parseAst = babelParseAst(root);
    const rel = relative(root, file).split(sep).join('/');
    let code = String(source);
    if (options.stamp !== false) code = stampJsx(code, rel, parseAst, file) ?? code;
    if (isEntry) {
      try { code = withOverlayScript(code, parseAst, jsxLang(file)); } catch { /* unparsable: Next reports it */ }
    }
    if (code === String(source)) { done(null, source, map); return; }
    // Our insertions' own map, so that what runs next (SWC) and DevTools see
    // the user's text and columns. Composing with an earlier loader's map is
    // not done: after one, no map beats a wrong one.
    done(null, code, map ? undefined : insertionMap(String(source), code, file, MARKERS) ?? undefined);
  }).catch((error) => done(error));
};
