// Bundles client/src (ES modules) into the one client.js that the binary embeds
// and serves at /__annotate/client.js: a single IIFE, no runtime dependencies.
//   node client/build.mjs [OUT]     (default: build/client.js)
//   node client/build.mjs --watch   (rebuilds on every change, for NG_ANNOTATE_OVERLAY_FILE)
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('client/build.mjs: esbuild is not installed in client/node_modules: run `make setup`');
  process.exit(1);
}
const { build, context } = esbuild;
const args = process.argv.slice(2);
const watch = args.includes('--watch');
const out = resolve(args.find((a) => !a.startsWith('--')) || join(here, '..', 'build', 'client.js'));

const options = {
  entryPoints: [join(here, 'src', 'main.js')],
  outfile: out,
  bundle: true,
  format: 'iife',
  target: ['es2020'],
  charset: 'utf8', // keeps `ɵcmp` readable instead of \u0275cmp
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: '// ng-annotate overlay (SPEC §8), bundled from client/src by client/build.mjs; do not edit.' },
};

if (watch) {
  const ctx = await context(options);
  await ctx.watch();
  console.log(`watching client/src -> ${out}`);
} else {
  await build(options);
}
