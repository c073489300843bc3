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
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createDaemon, PREFIX } from '@ng-annotate/cli/lib/daemon.js';
import { missingEntries, overlayEntries } from './entry.js';

const DEV_PHASE = 'phase-development-server'; // next/constants PHASE_DEVELOPMENT_SERVER
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

function withLoaders(config, root, options) {
  const loaderOptions = { root, stamp: options.stamp !== false, entries: overlayEntries(root) };
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
      if (context.dev) {
        webpackConfig.module.rules.push({
          test: /\.(jsx|tsx|js)$/, exclude: /node_modules/, enforce: 'pre', use: [use],
        });
      }
      return theirWebpack ? theirWebpack(webpackConfig, context) : webpackConfig;
    },
  };
}

// options: {binary, origins, stamp: false to keep the overlay without stamps}
export function withNgAnnotate(config = {}, options = {}) {
  return async function nextConfig(phase, context) {
    const resolved = typeof config === 'function' ? await config(phase, context) : config;
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
