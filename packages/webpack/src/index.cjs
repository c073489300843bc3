// new NgAnnotatePlugin(): ng-annotate in `webpack serve`, one line of
// webpack.config's `plugins`. Under webpack-dev-server only (a build, `webpack`
// or `webpack --watch`, and `mode: 'production'` get nothing), it
//   - registers ./loader.cjs before the project's JSX compiler: source stamps
//     on the project's own JSX host elements;
//   - through the dev server's `setupMiddlewares` and `onListening` (its
//     options object: webpack-dev-server 6 runs as a plugin of the compiler,
//     5 reads `compiler.options.devServer`; either way the user's own
//     functions still run), serves /__annotate (HTTP and WebSocket upgrades)
//     on the dev server's port, puts the overlay's script into its HTML pages
//     and starts or reuses the daemon (./dev-server.js);
//   - says once, with the fix, when the dev server never took its middleware,
//     or when it watches without `webpack serve`.
// CommonJS, so that a CommonJS webpack.config can `require` it; the rest of
// the package is ES modules, loaded when the dev server starts.
'use strict';

const LOADER = require.resolve('./loader.cjs');
const SOURCES = /\.(jsx|tsx|js|mjs)$/;

const log = {
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

// webpack-dev-server's Server, when webpack-cli applied it as a plugin (v6).
function devServerPlugin(plugins) {
  return (plugins || []).find((p) => p && typeof p === 'object' && p.constructor && p.constructor.name === 'Server'
    && typeof p.listen === 'function' && p.options && typeof p.options === 'object');
}

// What the dev server accepts as Host besides loopback names.
function allowedHostsOf(devServerOptions) {
  const allowed = devServerOptions && devServerOptions.allowedHosts;
  if (allowed === 'all') return true;
  return Array.isArray(allowed) ? allowed : typeof allowed === 'string' && allowed !== 'auto' ? [allowed] : [];
}

class NgAnnotatePlugin {
  // options: {binary, origins, overlay: false (no script tag), stamp: false (no stamps)}
  constructor(options = {}) {
    this.options = options;
  }

  apply(compiler) {
    const options = this.options;
    if (compiler.options.mode === 'production') return;
    const wds = devServerPlugin(compiler.options.plugins);
    const serving = Boolean(wds) || process.argv.slice(2).includes('serve');
    if (!serving) {
      // A build: nothing of ours in it. Watching without `webpack serve`
      // (`webpack --watch`, the webpack-dev-server command): said once.
      compiler.hooks.watchRun.tap('NgAnnotatePlugin', () => {
        if (this.told) return;
        this.told = true;
        log.warn('[ng-annotate] NgAnnotatePlugin acts under `webpack serve` only (webpack-dev-server through webpack-cli), '
          + 'so this watch build gets no overlay: run `webpack serve`, or `ng-annotate serve --proxy <your dev server>`.');
      });
      return;
    }

    // Resolved before the first compilation (watchRun): the project root of
    // stamps and the daemon, and the dev-server half.
    const loaderOptions = { root: compiler.context };
    let modules = null;
    const load = () => (modules ??= Promise.all([
      import('@ng-annotate/cli/lib/project-root.js'), import('./dev-server.js'),
    ]).then(([{ projectRoot }, devServer]) => {
      loaderOptions.root = projectRoot(compiler.context);
      return devServer;
    }));
    compiler.hooks.watchRun.tapPromise('NgAnnotatePlugin', () => load().then(() => undefined));

    if (options.stamp !== false) {
      compiler.options.module.rules.push({
        test: SOURCES, exclude: /[\\/]node_modules[\\/]/, enforce: 'pre', use: [{ loader: LOADER, options: loaderOptions }],
      });
    }

    let devServerOptions = wds ? wds.options : compiler.options.devServer;
    if (devServerOptions === false) {
      log.warn('[ng-annotate] devServer is false in webpack.config, so there is no dev server to put the overlay on: '
        + 'remove `devServer: false`, or run `ng-annotate serve --proxy <your server>` instead.');
      return;
    }
    if (!devServerOptions) devServerOptions = compiler.options.devServer = {};

    let overlay = null; // Promise of ./dev-server.js's server, once the dev server set up its middlewares
    const theirMiddlewares = devServerOptions.setupMiddlewares;
    devServerOptions.setupMiddlewares = (middlewares, devServer) => {
      const list = theirMiddlewares ? theirMiddlewares(middlewares, devServer) : middlewares;
      overlay = load().then((m) => m.createOverlayServer({
        root: loaderOptions.root, options, log, allowedHosts: () => allowedHostsOf(devServer.options),
      }));
      overlay.catch((error) => log.error(`[ng-annotate] ${error.message}. The dev server runs on without the overlay.`));
      // First in line: before compression (page requests lose Accept-Encoding
      // here) and before the pages webpack-dev-middleware serves.
      list.unshift({
        name: 'ng-annotate',
        middleware: (req, res, next) => {
          overlay.then((server) => {
            const run = (i) => (i < server.middlewares.length ? server.middlewares[i](req, res, () => run(i + 1)) : next());
            run(0);
          }, () => next());
        },
      });
      return list;
    };
    const theirListening = devServerOptions.onListening;
    devServerOptions.onListening = (devServer) => {
      if (theirListening) theirListening(devServer);
      const { host, allowedHosts, server } = devServer.options;
      const https = Boolean(server && (server === 'https' || server.type === 'https' || server.type === 'spdy'));
      overlay?.then((o) => o.attach(devServer.server, { host, allowedHosts: allowedHostsOf(devServer.options), https }));
    };

    compiler.hooks.done.tap('NgAnnotatePlugin', () => {
      if (overlay || this.told) return;
      this.told = true;
      log.warn('[ng-annotate] webpack-dev-server did not take ng-annotate\'s middleware (it was started with options '
        + 'of its own, not from webpack.config\'s devServer), so the page gets no overlay: run it with `webpack serve`, '
        + 'or pass compiler.options.devServer to `new WebpackDevServer(...)`.');
    });
  }
}

module.exports = { NgAnnotatePlugin, default: NgAnnotatePlugin };
