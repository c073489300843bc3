// The one loader withNgAnnotate registers for Turbopack (`turbopack.rules`)
// and webpack (dev only): the project's JSX gets the source stamps of
// @ng-annotate/vite-plugin's stamp.js (imported, not copied), and the root
// layout's <body> (or pages/_document's) the overlay's script. It parses with
// the Babel parser Next ships (next/dist/compiled/babel/parser), through the
// thin adapter below, since stamp.js takes the parser it is given. A file it
// cannot parse goes through unchanged (Next's compiler reports the error).
// A changed file gets the source map of our insertions, made in the same
// pass as the stamps (stamp.js's `stampJsxWithMap`).
'use strict';
const { createRequire } = require('node:module');
const { join, relative, sep } = require('node:path');
const { pathToFileURL } = require('node:url');

const SCRIPT = '<script src="/__annotate/client.js" async />';
let stampModule = null; // Promise of stamp.js, loaded once per process
let previewModule = null; // Promise of @ng-annotate/cli's preview.js (`next build` in preview mode)

// Preview mode (options.preview: {server, project, build}): the team
// server's tag, with the project and the build.
const previewScript = ({ server, project, build }) =>
  `<script src=${JSON.stringify(`${server}/__annotate/client.js`)} async data-nga-project=${JSON.stringify(project)} data-nga-build=${JSON.stringify(build)} />`;

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

// Where the overlay's script goes: right after the first <body …> opening
// tag; null when there is none or the file already loads the overlay.
function overlayScriptOffset(code, parseAst, lang) {
  let body = null;
  const visit = (node) => {
    if (body || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) { for (const n of node) visit(n); return; }
    if (node.type === 'JSXOpeningElement' && node.name && node.name.name === 'body' && !node.selfClosing) { body = node; return; }
    for (const key of Object.keys(node)) if (key !== 'loc' && key !== 'extra') visit(node[key]);
  };
  visit(parseAst(code, { lang }));
  if (!body || code.includes('/__annotate/client.js')) return null;
  return body.end;
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
  const preview = options.preview || null;
  if (preview) previewModule ??= import(pathToFileURL(require.resolve('@ng-annotate/cli/lib/preview.js')).href);
  Promise.all([stampModule, previewModule]).then(([{ stampJsxWithMap, applyInsertions, jsxLang }, previewLib]) => {
    const parseAst = babelParseAst(root);
    const rel = relative(root, file).split(sep).join('/');
    const original = String(source);
    const inserts = [];
    if (isEntry) {
      try {
        const at = overlayScriptOffset(original, parseAst, jsxLang(file));
        if (at !== null) inserts.push({ at, text: preview ? previewScript(preview) : SCRIPT });
      } catch { /* unparsable: Next reports it */ }
    }
    // In preview mode a short id in place of the path, and the module's ids in a part of the manifest.
    const ids = {};
    const attribute = preview
      ? (location) => { const id = previewLib.sourceIdOf(location); ids[id] = location; return [previewLib.SOURCE_ID_ATTR, id]; }
      : undefined;
    const out = options.stamp !== false
      ? stampJsxWithMap(original, rel, parseAst, file, { inserts, attribute })
      : inserts.length ? applyInsertions(original, inserts, file) : null;
    if (preview && Object.keys(ids).length) previewLib.writePart(root, preview.build, rel, ids);
    if (!out) { done(null, source, map); return; }
    // Our insertions' own map, so that what runs next (SWC) and DevTools see
    // the user's text and columns. Composing with an earlier loader's map is
    // not done: after one, no map beats a wrong one.
    done(null, out.code, map ? undefined : out.map);
  }).catch((error) => done(error));
};
