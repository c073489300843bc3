// `vite build` and preview mode (issue 20), on the Vite fixture apps of
// examples/ with the plugin as their node_modules hold it:
//   * off (the `preview` option given, NG_ANNOTATE_PREVIEW unset) the output
//     is byte for byte the output of the same build without ng-annotate;
//   * on, the project's elements carry `data-nga-id` and no path, index.html
//     gets the team server's tag, and the manifest beside the build maps
//     every id to the `<` of an element in the app's source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from './lib/vite-app.js';

const APPS = [
  { app: 'react-demo', plugin: ['@vitejs/plugin-react', (m) => m.default()], file: 'src/components/PriceTag.tsx' },
  { app: 'vue-demo', plugin: ['@vitejs/plugin-vue', (m) => m.default()], file: 'src/components/PriceTag.vue' },
  { app: 'svelte-demo', plugin: ['@sveltejs/vite-plugin-svelte', (m) => m.svelte()], file: 'src/lib/PriceTag.svelte' },
];
const SERVER = 'https://annotate.example.com';

function hashes(dir, base = dir, out = {}) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) hashes(p, base, out);
    else out[p.slice(base.length + 1)] = createHash('sha256').update(readFileSync(p)).digest('hex');
  }
  return out;
}

for (const row of APPS) {
  test(`${row.app}: vite build is unchanged unless preview mode is on, and then carries ids only`, async (t) => {
    const root = join(REPO, 'examples', row.app);
    const require = createRequire(join(root, 'package.json'));
    const load = (spec) => import(pathToFileURL(require.resolve(spec)).href);
    const vite = await load('vite');
    const framework = await load(row.plugin[0]);
    const { default: ngAnnotate } = await load('@ng-annotate/vite-plugin');
    const saved = { preview: process.env.NG_ANNOTATE_PREVIEW, build: process.env.NG_ANNOTATE_BUILD_ID };
    t.after(() => {
      for (const [k, v] of [['NG_ANNOTATE_PREVIEW', saved.preview], ['NG_ANNOTATE_BUILD_ID', saved.build]]) {
        if (v === undefined) delete process.env[k]; else process.env[k] = v;
      }
    });
    delete process.env.NG_ANNOTATE_BUILD_ID;
    const build = async (name, withPlugin) => {
      const outDir = mkdtempSync(join(tmpdir(), `nga-${name}-`));
      t.after(() => rmSync(outDir, { recursive: true, force: true }));
      await vite.build({
        root, configFile: false, logLevel: 'silent',
        plugins: [row.plugin[1](framework), ...(withPlugin ? ngAnnotate({ preview: { server: SERVER, project: row.app } }) : [])],
        build: { outDir, emptyOutDir: true },
      });
      return outDir;
    };

    delete process.env.NG_ANNOTATE_PREVIEW;
    const without = hashes(await build('without', false));
    const off = hashes(await build('off', true));
    assert.ok(Object.keys(without).length >= 2, JSON.stringify(without));
    assert.deepEqual(off, without, 'preview option without NG_ANNOTATE_PREVIEW=1: the same bytes');

    process.env.NG_ANNOTATE_PREVIEW = '1';
    const out = await build('on', true);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const tag = new RegExp(`<script src="${SERVER}/__annotate/client.js" async data-nga-project="${row.app}" data-nga-build="([0-9a-f]{12})"></script>`).exec(html);
    assert.ok(tag, html);
    const manifestFile = join(root, '.ng-annotate/builds', `${tag[1]}.json`);
    t.after(() => rmSync(manifestFile, { force: true }));
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    assert.deepEqual([manifest.version, manifest.project, manifest.build], [1, row.app, tag[1]]);
    const scripts = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(out, 'assets', f), 'utf8')).join('\n');
    const servedIds = new Set([...scripts.matchAll(/data-nga-id[^0-9a-f]{1,8}([0-9a-f]{8,})/g)].map((m) => m[1]));
    assert.ok(servedIds.size > 5, `source ids in the bundle: ${[...servedIds].join(' ')}`);
    for (const id of servedIds) assert.ok(manifest.ids[id], `id ${id} of the bundle is in the manifest`);
    assert.ok(!scripts.includes(row.file) && !scripts.includes('data-nga-src'), 'no source path served');
    assert.ok(Object.values(manifest.ids).some((loc) => loc.startsWith(row.file + ':')));
    for (const [id, location] of Object.entries(manifest.ids)) {
      const [, file, line, col] = /^(.+):(\d+):(\d+)$/.exec(location);
      const text = readFileSync(join(root, file), 'utf8').split('\n')[Number(line) - 1];
      assert.equal(text[Number(col) - 1], '<', `${id} → ${location} is an element's tag: ${text}`);
    }
  });
}
