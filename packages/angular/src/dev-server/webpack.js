'use strict';
// Angular's webpack dev server (@angular-devkit/build-angular:dev-server
// serving an @angular-devkit/build-angular:browser build), through its public
// executeDevServerBuilder(options, context, transforms): the same bridge as
// the esbuild path (./bridge.js: /__annotate HTTP and upgrades to the daemon,
// the overlay tag), put in through the two transforms it takes. Its
// `webpackConfiguration` transform hands us the dev server's options, where
// webpack-dev-server's own `setupMiddlewares` and `onListening` hooks go; its
// `indexHtml` transform sees the served index. `ng build` runs the browser
// builder itself and never comes here.

const WEBPACK_BROWSER = '@angular-devkit/build-angular:browser';
const WEBPACK_DEV_SERVER = '@angular-devkit/build-angular:dev-server';

/** The Host names the forwarder accepts besides loopback, as this dev server has them. */
function allowedHostsOf(devOptions) {
  if (devOptions.disableHostCheck) return true;
  return Array.isArray(devOptions.allowedHosts) ? devOptions.allowedHosts : [];
}

/**
 * The transforms for executeDevServerBuilder, and what they saw: `took()`
 * says whether webpack-dev-server took our middleware and the index got the tag.
 */
function webpackTransforms(bridge) {
  const seen = { middleware: false, index: false };
  const webpackConfiguration = (config) => {
    config.devServer ??= {};
    const devServer = config.devServer;
    // The user's own hooks (a custom webpack config) still run.
    const theirMiddlewares = devServer.setupMiddlewares;
    devServer.setupMiddlewares = (middlewares, server) => {
      const list = theirMiddlewares ? theirMiddlewares(middlewares, server) : middlewares;
      seen.middleware = true;
      // First in line: before the host check, the history fallback and the
      // pages webpack-dev-middleware serves (the forwarder checks Host itself).
      list.unshift({ name: 'ng-annotate', middleware: bridge.middleware });
      return list;
    };
    const theirListening = devServer.onListening;
    devServer.onListening = (server) => {
      if (theirListening) theirListening(server);
      // Upgrades to /__annotate from the first page on: webpack-dev-server's
      // own socket (live reload, HMR) is left to it (./bridge.js).
      bridge.watchServer(server.server);
    };
    return config;
  };
  const indexHtml = async (html) => {
    seen.index = true;
    return bridge.indexHtmlTransformer(html);
  };
  return { transforms: { webpackConfiguration, indexHtml }, seen };
}

/** What to tell the user when the first build is served and a part of ours never ran (null: all ran). */
function missedLine(seen) {
  if (!seen.middleware) {
    return "[ng-annotate] Angular's webpack dev server did not take ng-annotate's middleware, so /__annotate " +
      'is not served and the page gets no overlay: serve the app through `ng-annotate serve --proxy ' +
      'http://localhost:4200` instead, or switch the build to @angular/build:application.';
  }
  if (!seen.index) {
    return '[ng-annotate] the build target has no `index` page, so the overlay\'s script tag was not added: ' +
      'add <script src="/__annotate/client.js"></script> to the page your dev server serves.';
  }
  return null;
}

/**
 * The values of an rxjs Observable as an async iterable (rxjs 7, which the
 * webpack builder returns, has no Symbol.asyncIterator); unsubscribes when the
 * loop ends early. Written here because architect's own conversion is not public.
 */
async function* valuesOf(observable) {
  const queue = [];
  let wake = null;
  let done = false;
  let failure = null;
  const push = () => {
    wake?.();
    wake = null;
  };
  const subscription = observable.subscribe({
    next: (value) => {
      queue.push(value);
      push();
    },
    error: (error) => {
      failure = error ?? new Error('the dev server failed');
      push();
    },
    complete: () => {
      done = true;
      push();
    },
  });
  try {
    for (;;) {
      if (queue.length) {
        yield queue.shift();
        continue;
      }
      if (failure) throw failure;
      if (done) return;
      await new Promise((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    subscription.unsubscribe();
  }
}

module.exports = { WEBPACK_BROWSER, WEBPACK_DEV_SERVER, allowedHostsOf, webpackTransforms, missedLine, valuesOf };
