// @ng-annotate/next as installed in tests/fixtures/next-app (a copy of
// packages/next, the way a user gets it): the loader's stamps and overlay
// script on the fixture's real files, with the Babel parser Next ships; and
// a source map back to the user's text; withNgAnnotate leaving every phase but `next dev` alone (nothing started).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NEXT_ROOT } from '../e2e/lib/next-app.js';
import { lookup } from '../../client/src/context/sourcemap.js';

const PKG = join(NEXT_ROOT, 'node_modules/@ng-annotate/next');
const installed = existsSync(join(PKG, 'package.json'));
const skip = !installed && 'tests/fixtures/next-app is not installed: run make setup';

// Runs the loader the way webpack and Turbopack do: `this` with async(),
// getOptions() and resourcePath.
function runLoader(file, source, options, map = { version: 3, mappings: '' }) {
  const loader = createRequire(import.meta.url)(join(PKG, 'src/loader.cjs'));
  return new Promise((resolve, reject) => {
    const ctx = {
      resourcePath: file, rootContext: NEXT_ROOT,
      getOptions: () => options,
      async: () => (err, code, outMap) => (err ? reject(err) : resolve({ code, map: outMap })),
    };
    loader.call(ctx, source, map);
  });
}

test('the loader stamps a client component\'s host elements, root-relative, and leaves components alone', { skip }, async () => {
  const file = join(NEXT_ROOT, 'app/components/ProductCard.tsx');
  const source = readFileSync(file, 'utf8');
  const { code, map } = await runLoader(file, source, { root: NEXT_ROOT, entries: [] }, null);
  assert.match(code, /<article data-nga-src="app\/components\/ProductCard\.tsx:8:5" className=/);
  assert.match(code, /<h2 data-nga-src="app\/components\/ProductCard\.tsx:9:7" className="product-name">/);
  assert.match(code, /<PriceTag amount=/, 'a component gets no stamp');
  // The map leads every token of the output back to the user's own text.
  assert.deepEqual([map.sources, map.sourcesContent], [[file], [source]]);
  const out = code.split('\n');
  const src = source.split('\n');
  for (const token of ['className="product-name"', '{product.name}', '<PriceTag', 'currency="EUR"', '</article>']) {
    const line = out.findIndex((l) => l.includes(token));
    const hit = lookup(map, line, out[line].indexOf(token));
    assert.deepEqual(hit && [hit.line, hit.column], [line, src[line].indexOf(token)], token);
  }
  const after = await runLoader(file, source, { root: NEXT_ROOT, entries: [] }, { version: 3, mappings: 'AAAA', sources: ['x'] });
  assert.equal(after.map, undefined, 'after another loader\'s map: none rather than a wrong one');
});

test('the root layout gets the overlay script right after <body>, once', { skip }, async () => {
  const file = join(NEXT_ROOT, 'app/layout.tsx');
  const { code, map } = await runLoader(file, readFileSync(file, 'utf8'), { root: NEXT_ROOT, entries: [file] }, null);
  assert.match(code, /<body data-nga-src="app\/layout\.tsx:\d+:\d+"><script src="\/__annotate\/client\.js" async \/>\{children\}<\/body>/);
  assert.equal(code.split('/__annotate/client.js').length, 2);
  const line = code.split('\n').findIndex((l) => l.includes('{children}'));
  const hit = lookup(map, line, code.split('\n')[line].indexOf('{children}'));
  assert.deepEqual([hit.line, hit.column], [line, readFileSync(file, 'utf8').split('\n')[line].indexOf('{children}')]);
  const other = join(NEXT_ROOT, 'app/page.tsx');
  const page = await runLoader(other, readFileSync(other, 'utf8'), { root: NEXT_ROOT, entries: [file] });
  assert.ok(!page.code.includes('__annotate'), 'only the entry file gets it');
});

test('files outside the project, in node_modules, without JSX or unparsable pass through with their map', { skip }, async () => {
  const map = { version: 3, mappings: 'AAAA' };
  const lib = join(NEXT_ROOT, 'node_modules/x/index.jsx');
  assert.deepEqual(await runLoader(lib, '<div/>', { root: NEXT_ROOT }, map), { code: '<div/>', map });
  const plain = join(NEXT_ROOT, 'app/util.ts');
  assert.deepEqual(await runLoader(plain, 'export const a = 1;', { root: NEXT_ROOT }, map), { code: 'export const a = 1;', map });
  const broken = join(NEXT_ROOT, 'app/broken.tsx');
  assert.deepEqual(await runLoader(broken, 'export default () => <div', { root: NEXT_ROOT }, map), { code: 'export default () => <div', map });
  const noStamp = join(NEXT_ROOT, 'app/components/PriceTag.tsx');
  const src = readFileSync(noStamp, 'utf8');
  assert.deepEqual(await runLoader(noStamp, src, { root: NEXT_ROOT, stamp: false, entries: [] }, map), { code: src, map });
});

test('withNgAnnotate changes nothing and starts nothing outside next dev', { skip }, async () => {
  const { withNgAnnotate } = await import(pathToFileURL(join(PKG, 'src/index.js')).href);
  const config = { reactStrictMode: true };
  for (const phase of ['phase-production-build', 'phase-production-server', 'phase-export']) {
    assert.equal(await withNgAnnotate(config)(phase, {}), config, phase);
  }
  const fn = (phase) => ({ phase });
  assert.deepEqual(await withNgAnnotate(fn)('phase-production-build', {}), { phase: 'phase-production-build' });
});

test('the dev log names the routes the overlay cannot reach, with the fix', { skip }, async () => {
  const { missingEntries } = await import(pathToFileURL(join(PKG, 'src/entry.js')).href);
  const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const root = mkdtempSync(join(tmpdir(), 'nga-next-entry-'));
  try {
    assert.match(missingEntries(root).join('\n'), /found no app\/layout nor pages\/_document.*<script src="\/__annotate\/client\.js" async \/>/);
    mkdirSync(join(root, 'app'));
    writeFileSync(join(root, 'app/layout.tsx'), '');
    assert.deepEqual(missingEntries(root), []);
    mkdirSync(join(root, 'pages'));
    assert.match(missingEntries(root).join('\n'), /^pages\/ has no _document.*add pages\/_document\.tsx/);
    writeFileSync(join(root, 'pages/_document.jsx'), '');
    assert.deepEqual(missingEntries(root), []);
    assert.deepEqual(missingEntries(NEXT_ROOT), [], 'the fixture has both');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
