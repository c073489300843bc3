// ng-annotate:daemon: once the dev server listens, starts (or reuses) the
// daemon for the project root (the app's package.json directory, not Vite's
// `root`: see @ng-annotate/cli/lib/project-root.js) with the server's real origins, forwards
// /__annotate HTTP and WebSocket upgrades (and /mcp with `mcp: true`) to it,
// leaves every other upgrade (Vite's HMR) alone, and stops the daemon it
// started when the server closes, within a bound.
import {
  createDaemon, findBinary, forwardHttp, forwardUpgrade, isAnnotatePath,
} from '@ng-annotate/cli/lib/daemon.js';
import { projectRoot } from '@ng-annotate/cli/lib/project-root.js';
import { devServerOrigins } from './origins.js';
import { foreignPluginIn, isNoticeRequest, noticeLine, readSmallBody } from './foreign-overlay.js';

function isMcpPath(url) {
  const path = String(url ?? '').split('?')[0];
  return path === '/mcp' || path.startsWith('/mcp/');
}

export function daemonPlugin(context) {
  let logger = console;
  // Information comes with the dev server's start, like Vite's own lines
  // there, so without a timestamp: the first timestamp builds Vite's
  // Intl.DateTimeFormat, ~40 ms of CPU in every start (issue 22, a CPU
  // profile of React's warm start). Warnings and errors keep theirs.
  const log = {
    info: (m) => logger.info(m),
    warn: (m) => logger.warn(m, { timestamp: true }),
    error: (m) => logger.error(m, { timestamp: true }),
  };
  const stop = () => context.handle?.stop() ?? Promise.resolve();

  function start(origins) {
    if (context.disabled || context.handle) return;
    context.handle = createDaemon({
      root: context.root,
      binary: context.binary,
      origins: [...origins, ...(context.options.origins ?? [])],
      log,
    });
    const handle = context.handle;
    handle.ready.catch((error) => {
      if (handle.stopping) return; // Vite closed while the daemon was starting: nothing to report
      context.disabled = true;
      context.reason = error.message;
      log.error(`[ng-annotate] ${error.message}. The dev server runs on without the overlay.`);
    });
  }

  return {
    name: 'ng-annotate:daemon',
    apply: 'serve',
    // The daemon's store (.ng-annotate/ in the project root) changes with
    // every annotation and is none of the app's source: Vite's watcher would
    // hold it and hear each SQLite write.
    config: () => ({ server: { watch: { ignored: ['**/.ng-annotate/**'] } } }),
    configResolved(config) {
      context.config = config;
      context.root = projectRoot(config.root);
      logger = config.logger;
      // ng-annotate-mcp's own plugin serves /__annotate on this server: two
      // handlers on one socket path cannot work, so ours leaves the page alone.
      const foreign = foreignPluginIn(config.plugins);
      if (foreign) {
        context.disabled = true;
        context.reason = `ng-annotate-mcp's Vite plugin (${foreign}) serves /__annotate here`;
        log.warn(`[ng-annotate] ${context.reason}: ng-annotate leaves this dev server alone ` +
          '(no overlay, no daemon). Remove ngAnnotateMcp() from the Vite config to use ng-annotate.');
      }
    },
    configureServer(server) {
      // The Host names Vite itself accepts: allowedHosts, plus server.host.
      const allowedHosts = () => {
        const { allowedHosts: allowed, host } = context.config?.server ?? {};
        if (allowed === true) return true;
        return [...(Array.isArray(allowed) ? allowed : []), ...(typeof host === 'string' ? [host] : [])];
      };
      const wanted = (url) => isAnnotatePath(url) || (context.options.mcp && isMcpPath(url));
      server.middlewares.use((req, res, next) => {
        if (!wanted(req.originalUrl ?? req.url)) return next();
        if (isNoticeRequest(req)) {
          // Our overlay found ng-annotate-mcp's on a page and stepped aside.
          readSmallBody(req).then((page) => {
            if (!context.pagesTold.has(page)) {
              context.pagesTold.add(page);
              log.warn(noticeLine(page));
            }
            res.writeHead(204).end();
          });
          return undefined;
        }
        if (!context.handle || context.disabled) {
          res.writeHead(503, { 'Content-Type': 'text/plain' });
          res.end(`ng-annotate is not running${context.reason ? `: ${context.reason}` : ''}\n`);
          return undefined;
        }
        return forwardHttp(req, res, context.handle, { allowedHosts: allowedHosts() }).catch(next);
      });

      if (context.disabled) return; // told in configResolved
      const found = findBinary({ binary: context.options.binary });
      if (found.error) {
        context.disabled = true;
        context.reason = found.error;
        log.warn(`[ng-annotate] ${found.error}. The dev server runs on without the overlay.`);
        return;
      }
      context.binary = found.file;

      const http = server.httpServer;
      if (!http) {
        // Middleware mode: no port of our own to name; the host app's origin
        // can be given with `origins`.
        start(server.config.server.origin ? [new URL(server.config.server.origin).origin] : []);
        return;
      }
      http.on('upgrade', (req, socket, head) => {
        if (!isAnnotatePath(req.url)) return; // Vite's HMR and everyone else's
        if (!context.handle) {
          socket.destroy();
          return;
        }
        forwardUpgrade(req, socket, head, context.handle, { allowedHosts: allowedHosts() }).catch(() => socket.destroy());
      });
      const onListening = () => {
        const address = http.address();
        if (address && typeof address === 'object') start(devServerOrigins(server.config.server, address.port));
      };
      if (http.listening) onListening();
      else http.once('listening', onListening);
      http.once('close', () => { stop(); });
    },
    // Vite calls this from server.close(); bounded by the handle's stop().
    async closeBundle() {
      await stop();
    },
  };
}
