// Bundles client/src (ES modules) into the two scripts that the binary embeds:
//   client.js   what a page loads (/__annotate/client.js): the badges, the
//               socket, the shortcuts and the page-log hooks, from src/main.js;
//   capture.js  what it loads on first use (/__annotate/capture.js): inspect
//               labels, the annotation context, the panels, from src/lazy/entry.js.
// Both are IIFEs without runtime dependencies. The lazy chunk shares the first
// chunk's modules instead of carrying copies (a copy of state.js would be a
// second, empty state): every import of a module that client.js already holds
// becomes a read of that module from the registry client.js hands over when
// it loads capture.js (src/lazy.js). The registry lists exactly the modules
// capture.js uses, found by building in three passes:
//   1. client.js without a registry: the modules it holds;
//   2. capture.js, its imports of those modules redirected: the ones it uses;
//   3. client.js with a registry of those.
//   node client/build.mjs [OUT [LAZY_OUT]]  (default: build/client.js, capture.js beside OUT)
//   node client/build.mjs --watch           (rebuilds on every change, for NG_ANNOTATE_OVERLAY_FILE)
import { dirname, join, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watch as watchDir } from 'node:fs';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('client/build.mjs: esbuild is not installed in client/node_modules: run `make setup`');
  process.exit(1);
}
const args = process.argv.slice(2);
const watch = args.includes('--watch');
const paths = args.filter((a) => !a.startsWith('--'));
const out = resolve(paths[0] || join(here, '..', 'build', 'client.js'));
const lazyOut = resolve(paths[1] || join(dirname(out), 'capture.js'));

const REGISTRY = 'nga-registry';
const common = {
  bundle: true,
  format: 'iife',
  target: ['es2020'],
  charset: 'utf8', // keeps `ɵcmp` readable instead of \u0275cmp
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};
const rel = (abs) => relative(src, abs).split('\\').join('/');
const inputsOf = (result) => new Set(Object.keys(result.metafile.inputs)
  .filter((f) => !f.includes(':')).map((f) => rel(resolve(f))));

// The first chunk; `shared` (paths under src/) become the registry src/lazy.js hands over.
function firstChunk(shared, write) {
  const registry = {
    name: 'registry',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${REGISTRY}$`) }, () => ({ path: REGISTRY, namespace: REGISTRY }));
      b.onLoad({ filter: /.*/, namespace: REGISTRY }, () => ({
        resolveDir: src,
        contents: [...shared].map((f, i) => `import * as m${i} from './${f}';`).join('\n') +
          `\nexport const registry = {${[...shared].map((f, i) => `${JSON.stringify(f)}: m${i}`).join(', ')}};\n`,
      }));
    },
  };
  return esbuild.build({
    ...common,
    entryPoints: [join(src, 'main.js')],
    outfile: out,
    write,
    plugins: [registry],
    banner: { js: '// ng-annotate overlay (SPEC §8), bundled from client/src by client/build.mjs; do not edit.' },
  });
}

// The lazy chunk: an import of a module in `held` reads it from the registry.
function lazyChunk(held, used) {
  const share = {
    name: 'share-first-chunk',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (a) => {
        const file = rel(resolve(a.resolveDir, a.path));
        if (!held.has(file)) return undefined;
        used.add(file);
        return { path: file, namespace: 'first-chunk' };
      });
      b.onLoad({ filter: /.*/, namespace: 'first-chunk' }, (a) => ({
        contents: `module.exports = globalThis[Symbol.for('ng-annotate.lazy')].registry[${JSON.stringify(a.path)}];`,
        loader: 'js',
      }));
    },
  };
  return esbuild.build({
    ...common,
    entryPoints: [join(src, 'lazy', 'entry.js')],
    outfile: lazyOut,
    plugins: [share],
    banner: { js: '// ng-annotate overlay, loaded on first use (SPEC §8), bundled by client/build.mjs; do not edit.' },
  });
}

async function buildAll() {
  const held = inputsOf(await firstChunk(new Set(), false));
  const used = new Set();
  const lazy = await lazyChunk(held, used);
  const first = await firstChunk(used, true);
  // Adding the registry must not pull anything new into client.js, and the
  // two chunks must share no module except through it.
  const finalHeld = inputsOf(first);
  for (const f of finalHeld) {
    if (!held.has(f) && f !== REGISTRY) throw new Error(`client/build.mjs: the registry pulled ${f} into client.js`);
  }
  for (const f of inputsOf(lazy)) {
    if (finalHeld.has(f)) throw new Error(`client/build.mjs: ${f} is in both chunks`);
  }
}

if (watch) {
  await buildAll();
  console.log(`watching client/src -> ${out} + ${lazyOut}`);
  let timer;
  watchDir(src, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => buildAll().catch((e) => console.error(e.message)), 100);
  });
} else {
  await buildAll();
}
