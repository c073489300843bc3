// withNgAnnotate(config): ng-annotate in `next dev`, one line of next.config.
// In the development server only (Next's phase; `next build` and `next start`
// get the config untouched), it
//   - starts or reuses the daemon for the project (packages/cli's daemon.js),
//     with the dev server's origins, and stops one it started with Next;
//   - forwards /__annotate (HTTP and the WebSocket: Next's dev server passes
//     upgrades of an external rewrite through, on Turbopack and webpack) to it,
//     so the overlay works on Next's own origin;
//   - stamps the project's JSX and puts the overlay's script into the root
//     layout (App Router) or pages/_document (Pages Router), through one
//     loader (./loader.cjs) registered for Turbopack and for webpack.
// When it cannot do its job it says so once in the dev log, with the fix.
//
// `next build` is untouched unless preview mode is on (issue 20): the
// `preview: { server, project }` option AND NG_ANNOTATE_PREVIEW=1. Then the
// same loader puts `data-nga-id` source ids (no paths) on the project's JSX
// and the team server's client.js tag into the root layout, each module's
// ids go to a part file, and when `next build` exits the parts become the
// manifest (@ng-annotate/cli/lib/preview.js) that `ng-annotate manifest push` sends.
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createDaemon, PREFIX } from '@ng-annotate/cli/lib/daemon.js';
import { previewSettings, mergeParts, pushHint } from '@ng-annotate/cli/lib/preview.js';
import { missingEntries, overlayEntries } from './entry.js';

const DEV_PHASE = 'phase-development-server'; // next/constants PHASE_DEVELOPMENT_SERVER
const BUILD_PHASE = 'phase-production-build'; // next/constants PHASE_PRODUCTION_BUILD
const require = createRequire(import.meta.url);
const LOADER = require.resolve('./loader.cjs');
const SOURCES = ['*.jsx', '*.tsx', '*.js'];

const say = (level, message) => console[level](`[ng-annotate] ${message}`);

// The origins Next's pages come from: it sets PORT (and its own URL) before it
// loads the config.
export function devOrigins(env = process.env) {
  const port = env.PORT || '3000';
  const origins = ['localhost', '127.0.0.1', '[::1]'].map((h) => `http://${h}:${port}`);
  if (env.__NEXT_PRIVATE_ORIGIN) {
    try { origins.push(new URL(env.__NEXT_PRIVATE_ORIGIN).origin); } catch { /* Next's own */ }
  }
  return [...new Set(origins)];
}

// One daemon per process (Next may load the config more than once).
let started = null;
function daemonFor(root, options) {
  if (!started) {
    const handle = createDaemon({ root, binary: options.binary, origins: [...devOrigins(), ...(options.origins ?? [])], log: console });
    // A daemon it started goes when this process exits (daemon.js's exit hook).
    started = handle.ready.then(() => handle);
  }
  return started;
}

function withRewrites(config, port) {
  const ours = [
    { source: PREFIX, destination: `http://127.0.0.1:${port}${PREFIX}` },
    { source: `${PREFIX}/:path*`, destination: `http://127.0.0.1:${port}${PREFIX}/:path*` },
  ];
  const theirs = config.rewrites;
  return async () => {
    const r = theirs ? await theirs() : [];
    if (Array.isArray(r)) return { beforeFiles: ours, afterFiles: r, fallback: [] };
    return { ...r, beforeFiles: [...ours, ...(r.beforeFiles ?? [])] };
  };
}

function withLoaders(config, root, options, preview = null) {
  const loaderOptions = { root, stamp: options.stamp !== false, entries: overlayEntries(root), ...(preview ? { preview } : {}) };
  const use = { loader: LOADER, options: loaderOptions };
  const rules = { ...(config.turbopack?.rules ?? {}) };
  for (const glob of SOURCES) {
    if (rules[glob]) { say('warn', `turbopack.rules already has "${glob}": ng-annotate's loader is not added for it`); continue; }
    rules[glob] = { condition: { not: 'foreign' }, loaders: [use] };
  }
  const theirWebpack = config.webpack;
  return {
    ...config,
    turbopack: { ...(config.turbopack ?? {}), rules },
    webpack(webpackConfig, context) {
      if (context.dev || preview) {
        webpackConfig.module.rules.push({
          test: /\.(jsx|tsx|js)$/, exclude: /node_modules/, enforce: 'pre', use: [use],
        });
      }
      return theirWebpack ? theirWebpack(webpackConfig, context) : webpackConfig;
    },
  };
}

// Preview mode of `next build`: the loader's options, and the manifest made
// from the loaders' parts when this process exits. null when off.
let previewBuild = null;
const OWNER_ENV = 'NG_ANNOTATE_PREVIEW_OWNER';
function previewFor(root, options) {
  const settings = previewSettings(options.preview);
  if (settings.message) say('info', settings.message);
  if (!settings.enabled) return null;
  if (previewBuild) return previewBuild;
  // The tag goes in while modules compile, before the whole manifest is known:
  // the id is chosen now (preview.build, else NG_ANNOTATE_BUILD_ID, else the
  // time), and handed through the environment to Next's build workers, which
  // load this config again. The process that chose it merges the parts when
  // it exits (after its workers).
  if (!process.env[OWNER_ENV]) process.env[OWNER_ENV] = String(process.pid);
  const build = settings.build ?? `next-${Date.now().toString(36)}`;
  process.env.NG_ANNOTATE_BUILD_ID ??= build;
  previewBuild = { server: settings.server, project: settings.project, build };
  if (process.env[OWNER_ENV] !== String(process.pid)) return previewBuild;
  process.once('exit', () => {
    const merged = mergeParts(root, previewBuild);
    if (merged.clashes.length) {
      say('error', `preview build ${build}: two source locations share a source id (${merged.clashes[0]}); no manifest written: please report it.`);
    } else if (!merged.file) {
      say('error', `preview build ${build}: no element got a source id, so no manifest was written.`);
    } else {
      console.info(pushHint(merged.file, previewBuild));
    }
  });
  return previewBuild;
}

// options: {binary, origins, stamp: false to keep the overlay without stamps,
//           preview: {server, project, build?} for `next build` with NG_ANNOTATE_PREVIEW=1}
export function withNgAnnotate(config = {}, options = {}) {
  return async function nextConfig(phase, context) {
    const resolved = typeof config === 'function' ? await config(phase, context) : config;
    if (phase === BUILD_PHASE) {
      let root;
      try { root = realpathSync(process.cwd()); } catch { root = process.cwd(); }
      const preview = previewFor(root, options);
      return preview ? withLoaders(resolved, root, options, preview) : resolved;
    }
    if (phase !== DEV_PHASE) return resolved;
    let root;
    try { root = realpathSync(process.cwd()); } catch { root = process.cwd(); }
    for (const missing of missingEntries(root)) say('warn', missing);
    let handle;
    try {
      handle = await daemonFor(root, options);
    } catch (error) {
      say('error', `${error.message}. next dev runs on without the overlay.`);
      return resolved;
    }
    return withLoaders({ ...resolved, rewrites: withRewrites(resolved, handle.port) }, root, options);
  };
}

export default withNgAnnotate;
