// @ng-annotate/next in `next build` (issue 20), on the create-next-app
// fixture's own files and packages: without preview mode the config is
// handed back untouched; with it, the loader is registered for Turbopack
// and webpack, the root layout gets the team server's tag, JSX host elements
// `data-nga-id` and no path, and the parts every loader call writes merge
// into a manifest whose locations are the elements' `<`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, cpSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from '../e2e/lib/vite-app.js';

const APP = join(REPO, 'tests/fixtures/next-app');
const BUILD_PHASE = 'phase-production-build';
const PREVIEW = { server: 'https://annotate.example.com', project: 'next-app', build: 'next-t1' };

const require = createRequire(join(APP, 'package.json'));
const load = (spec) => import(pathToFileURL(require.resolve(spec)).href);

// Runs the loader as Next does: a context with async(), getOptions(), resourcePath.
function runLoader(loader, options, file) {
  return new Promise((resolve, reject) => {
    loader.call({
      async: () => (err, code) => (err ? reject(err) : resolve(code)),
      getOptions: () => options,
      resourcePath: file,
    }, readFileSync(file, 'utf8'), null);
  });
}

test('next build: untouched unless preview mode; then ids, the tag and the manifest', async (t) => {
  const { withNgAnnotate } = await load('@ng-annotate/next');
  const preview = await load('@ng-annotate/cli/lib/preview.js');
  const names = ['NG_ANNOTATE_PREVIEW', 'NG_ANNOTATE_BUILD_ID', 'NG_ANNOTATE_PREVIEW_OWNER'];
  const saved = names.map((n) => process.env[n]);
  t.after(() => names.forEach((n, i) => { if (saved[i] === undefined) delete process.env[n]; else process.env[n] = saved[i]; }));

  delete process.env.NG_ANNOTATE_PREVIEW;
  const config = { reactStrictMode: true };
  assert.equal(await withNgAnnotate(config, { preview: PREVIEW })(BUILD_PHASE, {}), config, 'off: the same object');
  assert.equal(await withNgAnnotate(config)(BUILD_PHASE, {}), config);

  process.env.NG_ANNOTATE_PREVIEW = '1';
  const on = await withNgAnnotate(config, { preview: PREVIEW })(BUILD_PHASE, {});
  const rule = on.turbopack.rules['*.tsx'].loaders[0];
  assert.deepEqual(rule.options.preview, PREVIEW);
  const webpackConfig = on.webpack({ module: { rules: [] } }, { dev: false });
  assert.equal(webpackConfig.module.rules.length, 1, 'the loader in the production webpack build too');

  // The loader on the app's own files, in a copy (parts are written under its root).
  const root = mkdtempSync(join(tmpdir(), 'nga-next-preview-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  cpSync(join(APP, 'app'), join(root, 'app'), { recursive: true });
  symlinkSync(join(APP, 'node_modules'), join(root, 'node_modules'));
  const loader = require(join(APP, 'node_modules/@ng-annotate/next/src/loader.cjs'));
  const options = { ...rule.options, root, entries: [join(root, 'app/layout.tsx')] };
  const layout = await runLoader(loader, options, join(root, 'app/layout.tsx'));
  assert.match(layout, /<body data-nga-id="[0-9a-f]{8}"[^>]*><script src="https:\/\/annotate\.example\.com\/__annotate\/client\.js" async data-nga-project="next-app" data-nga-build="next-t1" \/>/);
  const price = await runLoader(loader, options, join(root, 'app/components/PriceTag.tsx'));
  assert.match(price, /data-nga-id="[0-9a-f]{8}"/);
  assert.ok(!/data-nga-src|PriceTag\.tsx/.test(price), 'no path in the compiled module');

  const merged = preview.mergeParts(root, PREVIEW);
  assert.deepEqual(merged.clashes, []);
  const manifest = JSON.parse(readFileSync(merged.file, 'utf8'));
  for (const id of [...price.matchAll(/data-nga-id="([0-9a-f]{8})"/g)].map((m) => m[1])) {
    const [, file, line, col] = /^(.+):(\d+):(\d+)$/.exec(manifest.ids[id]);
    assert.equal(file, 'app/components/PriceTag.tsx');
    assert.equal(readFileSync(join(root, file), 'utf8').split('\n')[line - 1][col - 1], '<');
  }
});
