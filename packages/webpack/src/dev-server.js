// The dev-server half that both integrations of this package share
// (webpack-dev-server through NgAnnotatePlugin, Rsbuild's own server through
// pluginNgAnnotate): once the server listens, start or reuse the daemon for
// the project root (@ng-annotate/cli's daemon.js, as the Vite plugin and the
// Next wrapper do) with the server's origins; forward /__annotate, HTTP and
// WebSocket upgrades, to it on the dev server's own port; put the overlay's
// script into every HTML page that passes through (the Vite plugin's
// html-inject.js, the same rules as `serve --proxy`); stop a daemon it
// started with the server. When it cannot do its job it says so once.
import {
  createDaemon, findBinary, forwardHttp, forwardUpgrade, isAnnotatePath, overlayTag,
} from '@ng-annotate/cli/lib/daemon.js';
import { overlayMiddleware } from '@ng-annotate/vite-plugin/html-inject';
import { devServerOrigins } from '@ng-annotate/vite-plugin/origins';

// log: {info, warn, error}(line). options: the integration's options
// ({binary, origins, overlay}). allowedHosts(): the Host names the dev server
// itself accepts besides loopback (true for any), asked per request.
// html: false when the tool puts the tag into its pages itself (Rsbuild's
// modifyHTMLTags), so only what it does not render gets the middleware.
export function createOverlayServer({ root, options = {}, log, allowedHosts = () => [], html = true }) {
  const state = { handle: null, disabled: false, reason: null };
  const told = new Set();
  const warnOnce = (key, line) => {
    if (told.has(key)) return;
    told.add(key);
    log.warn(line);
  };
  const disable = (reason) => {
    state.disabled = true;
    state.reason = reason;
    log.error(`[ng-annotate] ${reason}. The dev server runs on without the overlay.`);
  };

  const found = findBinary({ binary: options.binary });
  if (found.error) disable(found.error);

  // /__annotate/* goes to the daemon (503 with the reason while there is none).
  const forward = (req, res, next) => {
    if (!isAnnotatePath(req.originalUrl ?? req.url)) return next();
    if (!state.handle || state.disabled) {
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      res.end(`ng-annotate is not running${state.reason ? `: ${state.reason}` : ''}\n`);
      return undefined;
    }
    return forwardHttp(req, res, state.handle, { allowedHosts: allowedHosts() }).catch(next);
  };
  const middlewares = [forward];
  if (html && options.overlay !== false) {
    middlewares.push(overlayMiddleware({
      enabled: () => !state.disabled, skip: isAnnotatePath, tag: overlayTag(), warnOnce,
    }));
  }

  // Upgrades to /__annotate only: the dev server's own socket (HMR, live
  // reload) and every other upgrade are left to their handlers.
  const onUpgrade = (req, socket, head) => {
    if (!isAnnotatePath(req.url)) return;
    if (!state.handle || state.disabled) { socket.destroy(); return; }
    forwardUpgrade(req, socket, head, state.handle, { allowedHosts: allowedHosts() }).catch(() => socket.destroy());
  };

  // serverConfig: {host, allowedHosts, https} as the dev server has them.
  function start(serverConfig, port) {
    if (state.disabled || state.handle) return;
    const handle = createDaemon({
      root,
      binary: found.file,
      origins: [...devServerOrigins(serverConfig, port), ...(options.origins ?? [])],
      log: { info: log.info, warn: log.warn, error: log.error },
    });
    state.handle = handle;
    handle.ready.catch((error) => {
      if (handle.stopping) return; // closed while it was starting: nothing to report
      disable(error.message);
    });
  }

  const stop = () => state.handle?.stop() ?? Promise.resolve();

  // Listens on `httpServer` (upgrades, and the daemon once it listens).
  function attach(httpServer, serverConfig) {
    if (!httpServer) {
      warnOnce('no-server', '[ng-annotate] the dev server has no HTTP server of its own (middleware mode), so ' +
        '/__annotate cannot be served on it: run `ng-annotate serve` beside it and load ' +
        '<script src="http://127.0.0.1:4750/__annotate/client.js"></script> in your page.');
      return;
    }
    httpServer.on('upgrade', onUpgrade);
    const onListening = () => {
      const address = httpServer.address();
      if (address && typeof address === 'object') start(serverConfig, address.port);
    };
    if (httpServer.listening) onListening();
    else httpServer.once('listening', onListening);
    httpServer.once('close', () => { stop(); });
  }

  return { state, middlewares, attach, start, stop, warnOnce };
}
