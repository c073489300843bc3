'use strict';
// @ng-annotate/angular:dev-server — @angular/build:dev-server, run through its
// public executeDevServerBuilder(options, context, {middleware, indexHtmlTransformer}),
// with the ng-annotate daemon of the workspace root bridged in; or, when the
// build target is Angular's webpack browser build, @angular-devkit/build-angular's
// dev server with the same bridge through its transforms (./webpack.js).
// Nothing here touches `ng build`: only the dev server's served index gets the
// overlay tag.
const { requireWorkspace, loadDaemonModule } = require('./resolve');
const { realpathSync } = require('node:fs');
const { createBridge, originsFor } = require('./bridge');
const { askForSourceLocations } = require('./source-locations');
const {
  WEBPACK_BROWSER, WEBPACK_DEV_SERVER, allowedHostsOf, webpackTransforms, missedLine, valuesOf,
} = require('./webpack');

const WRAPPED = '@angular/build:dev-server';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function loggerOf(context) {
  return {
    info: (m) => context.logger.info(m),
    warn: (m) => context.logger.warn(m),
    error: (m) => context.logger.error(m),
    debug: (m) => context.logger.debug(m),
  };
}

/** The binary to run, as the shared module finds it (option, NG_ANNOTATE_BIN, the npm package, PATH). */
function binaryFor(lib) {
  const found = lib.findBinary({});
  if (found.error) throw new Error(found.error);
  return found.file;
}

async function* serveWithAnnotate(options, context) {
  // The daemon is keyed by the real path of the root (daemon.json, reuse).
  const root = realpathSync(context.workspaceRoot);
  const log = loggerOf(context);
  const server = await devServerFor(options, context, root);
  // The wrapped builder's own schema fills in its defaults and checks every option.
  const devOptions = await context.validateOptions(optionsFor(options, server.webpack), server.name);
  askForSourceLocations(context, root, log);
  let lib;
  try {
    lib = await loadDaemonModule(root);
  } catch (error) {
    log.error(`[ng-annotate] ${error.message}. The overlay is off; ng serve runs on.`);
    yield* outputsOf(server.execute(devOptions, context));
    return;
  }

  let starting = null;
  let handle = null;
  const daemon = () => {
    starting ??= Promise.resolve()
      .then(() => lib.ensureDaemon({ root, binary: binaryFor(lib), origins: [], strictOrigins: true, log }))
      .then((h) => {
        handle = h;
        return h;
      });
    return starting;
  };
  // Started at once, beside the first build, so it is there for the first page.
  daemon().catch((error) => log.error(`[ng-annotate] ${error.message}. The overlay is off; ng serve runs on.`));

  let stopped = null;
  const stop = () => {
    stopped ??= (async () => {
      for (const sig of SIGNALS) process.off(sig, onSignal);
      process.off('exit', onExit);
      const h = handle ?? (await starting?.catch(() => null));
      if (h?.owned) await h.stop();
    })();
    return stopped;
  };
  // ng serve ends by a signal, which skips `finally`: stop the daemon we own first.
  function onSignal(sig) {
    stop().finally(() => {
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    });
  }
  function onExit() {
    if (handle?.owned && handle.pid) {
      try {
        process.kill(handle.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
  for (const sig of SIGNALS) process.once(sig, onSignal);
  process.once('exit', onExit);
  context.addTeardown(stop);

  const allowedHosts = server.webpack ? allowedHostsOf(devOptions) : devOptions.allowedHosts;
  const bridge = createBridge({ daemon, lib, log, allowedHosts });
  const told = new Set();
  let checked = false;
  try {
    let outputs;
    let seen = null;
    if (server.webpack && !devOptions.forceEsbuild) {
      const webpack = webpackTransforms(bridge);
      seen = webpack.seen;
      outputs = server.execute(devOptions, context, webpack.transforms);
    } else if (server.webpack) {
      // forceEsbuild: that dev server runs Vite, which takes the esbuild path's hooks.
      outputs = server.execute(devOptions, context, { indexHtml: bridge.indexHtmlTransformer }, { middleware: [bridge.middleware] });
    } else {
      outputs = server.execute(devOptions, context, {
        middleware: [bridge.middleware],
        indexHtmlTransformer: bridge.indexHtmlTransformer,
      });
    }
    for await (const output of outputsOf(outputs)) {
      if (seen && output.success && !checked) {
        checked = true;
        const line = missedLine(seen);
        if (line) log.error(line);
      }
      if (output.success && output.baseUrl && !told.has(output.baseUrl)) {
        told.add(output.baseUrl);
        // A daemon that could not start has been reported already.
        const h = await daemon().catch(() => null);
        try {
          // The daemon accepts this dev server's pages, and no other port's.
          if (h) await h.addOrigins(originsFor(output.baseUrl));
          if (h) log.info(`[ng-annotate] overlay on ${output.baseUrl} (Alt+Shift+A), daemon ${h.url}`);
        } catch (error) {
          log.error(`[ng-annotate] cannot register ${output.baseUrl} with the daemon: ${error.message}`);
        }
      }
      yield output;
    }
  } finally {
    await stop();
  }
}

/**
 * The options for the dev server we run, without what the Angular CLI fills
 * in from our schema, which declares the options of both: a key for every
 * option not given (undefined), and `define: {}`, which the webpack dev
 * server's schema does not know. An option given for real stays, and the
 * wrapped builder's schema says so if it is not one of its own.
 */
function optionsFor(options, webpack) {
  const out = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (webpack && key === 'define' && value && typeof value === 'object' && Object.keys(value).length === 0) continue;
    out[key] = value;
  }
  return out;
}

/** An Observable (the webpack dev server's) or an async iterable (@angular/build's) as an async iterable. */
function outputsOf(outputs) {
  return typeof outputs?.[Symbol.asyncIterator] === 'function' ? outputs : valuesOf(outputs);
}

/**
 * Which of Angular's dev servers serves the build target: {name, execute,
 * webpack}. An @angular-devkit/build-angular:browser build (webpack) goes to
 * that package's dev server; everything else to @angular/build's.
 */
async function devServerFor(options, context, root) {
  let builder = null;
  try {
    const { targetFromTargetString } = requireWorkspace('@angular-devkit/architect', root);
    const target = targetFromTargetString(options.buildTarget ?? '::development', context.target?.project, 'build');
    builder = await context.getBuilderNameForTarget(target);
  } catch {
    // An unknown target: @angular/build's dev server says what is wrong with it.
  }
  if (builder === WEBPACK_BROWSER) {
    const { executeDevServerBuilder } = requireWorkspace('@angular-devkit/build-angular', root);
    return { name: WEBPACK_DEV_SERVER, execute: executeDevServerBuilder, webpack: true };
  }
  const { executeDevServerBuilder } = requireWorkspace('@angular/build', root);
  return { name: WRAPPED, execute: executeDevServerBuilder, webpack: false };
}

const { createBuilder } = requireWorkspace('@angular-devkit/architect');
module.exports = createBuilder(serveWithAnnotate);
module.exports.serveWithAnnotate = serveWithAnnotate;
