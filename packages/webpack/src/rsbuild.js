// pluginNgAnnotate(): ng-annotate in `rsbuild dev`, one line of
// rsbuild.config's `plugins`. In the dev server only (`rsbuild build` and
// `rsbuild preview` get nothing: Rsbuild's `action`), it
//   - registers ./loader.cjs before Rsbuild's SWC compile (`enforce: 'pre'`):
//     source stamps on the project's own JSX host elements;
//   - adds the overlay's script to the pages Rsbuild generates (its own
//     `modifyHTMLTags` hook);
//   - serves /__annotate (HTTP and WebSocket upgrades) on Rsbuild's own port
//     and starts or reuses the daemon once it listens (./dev-server.js), and
//     stops one it started with the server.
import { createRequire } from 'node:module';
import { CLIENT_PATH } from '@ng-annotate/cli/lib/daemon.js';
import { projectRoot } from '@ng-annotate/cli/lib/project-root.js';
import { createOverlayServer } from './dev-server.js';

const LOADER = createRequire(import.meta.url).resolve('./loader.cjs');
const SOURCES = /\.(jsx|tsx|js|mjs)$/;

const log = {
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

function allowedHostsOf(server) {
  const allowed = server?.allowedHosts;
  if (allowed === 'all' || allowed === true) return true;
  return Array.isArray(allowed) ? allowed : [];
}

// options: {binary, origins, overlay: false (no script tag), stamp: false (no stamps)}
export function pluginNgAnnotate(options = {}) {
  return {
    name: 'ng-annotate',
    setup(api) {
      if (api.context.action === undefined) {
        log.warn('[ng-annotate] this Rsbuild does not say whether it is serving (api.context.action), so '
          + 'pluginNgAnnotate() does nothing: it needs Rsbuild 2 (or run `ng-annotate serve --proxy <your dev server>`).');
        return;
      }
      if (api.context.action !== 'dev') return; // a build or preview: nothing of ours in it
      const root = projectRoot(api.context.rootPath);
      const serverConfig = () => api.getNormalizedConfig().server ?? {};

      if (options.stamp !== false) {
        api.modifyRspackConfig((config) => {
          config.module ??= {};
          config.module.rules ??= [];
          config.module.rules.push({
            test: SOURCES, exclude: /[\\/]node_modules[\\/]/, enforce: 'pre', use: [{ loader: LOADER, options: { root } }],
          });
        });
      }
      if (options.overlay !== false) {
        api.modifyHTMLTags(({ headTags, bodyTags }) => ({
          headTags: [...headTags, { tag: 'script', attrs: { src: CLIENT_PATH } }],
          bodyTags,
        }));
      }

      let overlay = null;
      api.onBeforeStartDevServer(({ server }) => {
        overlay = createOverlayServer({ root, options, log, html: false, allowedHosts: () => allowedHostsOf(serverConfig()) });
        for (const middleware of overlay.middlewares) server.middlewares.use(middleware);
        const { host, https } = serverConfig();
        overlay.attach(server.httpServer, { host, https: Boolean(https), allowedHosts: allowedHostsOf(serverConfig()) });
      });
      api.onCloseDevServer(() => overlay?.stop());
    },
  };
}

export default pluginNgAnnotate;
