// @ng-annotate/vite-plugin/nuxt: the Nuxt 4 module. One line in nuxt.config:
//
//   export default defineNuxtConfig({ modules: ['@ng-annotate/vite-plugin/nuxt'] })
//
// In `nuxt dev` only (nothing at all in `nuxt build`, `generate`, `prepare`):
// - the source stamps (../stamp-plugin.js) in Nuxt's Vite, client and server,
//   so the server-rendered HTML and the hydrated page carry the same
//   `data-nga-src`, relative to the project root (`app/components/X.vue`);
// - the overlay's script tag in every page Nuxt's renderer makes (a Nitro
//   `render:html` plugin, ./nitro-plugin.js);
// - the daemon for the project root (the app's package.json directory, not
//   Vite's `app/` root), started or reused once Nuxt's dev server listens,
//   with that server's origins, and /__annotate HTTP and WebSocket upgrades
//   on Nuxt's own port (./listener-bridge.js); stopped when Nuxt closes.
// Whatever it cannot do, it says once in the dev log, with the fix.
//
// Options: `modules: [['@ng-annotate/vite-plugin/nuxt', {…}]]` or the
// `ngAnnotate: {…}` key, the Vite plugin's: binary, origins, stamp, overlay.
// A plain function module (no @nuxt/kit import), so it loads whatever Nuxt
// version brought which kit.
import { fileURLToPath } from 'node:url';
import { createDaemon, findBinary, forwardHttp, forwardUpgrade } from '@ng-annotate/cli/lib/daemon.js';
import { projectRoot } from '@ng-annotate/cli/lib/project-root.js';
import { sourcePlugins } from '../stamp-plugin.js';
import { devServerOrigins } from '../origins.js';
import { isNoticeRequest, noticeLine, readSmallBody } from '../foreign-overlay.js';
import { attachBridge } from './listener-bridge.js';

const NITRO_PLUGIN = fileURLToPath(new URL('./nitro-plugin.js', import.meta.url));
const OVERLAY_MARK = 'x-ng-annotate-overlay'; // set by ./nitro-plugin.js on pages it tagged
const say = (line) => `[ng-annotate] ${line}`;

// A page the browser loads as a document and the module can judge.
function isHtmlPage(req, res) {
  if (req.method !== 'GET' || res.statusCode !== 200) return false;
  if (String(req.headers['sec-fetch-dest'] ?? 'document') !== 'document') return false;
  return /^text\/html\b/i.test(String(res.getHeader('content-type') ?? ''));
}

export default function ngAnnotateNuxt(inlineOptions, nuxt) {
  const options = { ...(nuxt.options.ngAnnotate ?? {}), ...(inlineOptions ?? {}) };
  if (!nuxt.options.dev || nuxt.options._prepare) return; // build, generate, prepare: no trace
  const log = {
    info: (m) => console.info(m),
    warn: (m) => console.warn(m),
    error: (m) => console.error(m),
  };
  const root = projectRoot(nuxt.options.rootDir);
  const overlay = options.overlay !== false;

  if (options.stamp !== false) {
    const builder = String(nuxt.options.builder ?? '@nuxt/vite-builder');
    if (builder.includes('vite')) {
      nuxt.hook('vite:extend', ({ config }) => {
        config.plugins ||= [];
        config.plugins.push(...sourcePlugins({ options }));
      });
    } else {
      log.warn(say(`source stamps need Nuxt's Vite builder (this app builds with ${builder}): ` +
        'annotations carry no sourceLocation. Remove `builder` from nuxt.config to use Vite.'));
    }
  }
  if (overlay) {
    nuxt.options.nitro ||= {};
    nuxt.options.nitro.plugins ||= [];
    nuxt.options.nitro.plugins.push(NITRO_PLUGIN);
  } else {
    log.info(say('overlay: false: pages get no ng-annotate overlay; /__annotate still reaches the daemon.'));
  }

  const found = findBinary({ binary: options.binary });
  let reason = found.error ?? null;
  if (reason) log.warn(say(`${reason}. Nuxt runs on without the overlay.`));
  let handle = null;
  let server = null;
  let toldUntagged = false;
  const allowedHosts = () => {
    const allowed = nuxt.options.vite?.server?.allowedHosts ?? nuxt.options.devServer?.allowedHosts;
    if (allowed === true) return true;
    return Array.isArray(allowed) ? allowed : [];
  };

  const bridge = {
    request(req, res) {
      if (isNoticeRequest(req)) {
        readSmallBody(req).then((page) => { log.warn(noticeLine(page)); res.writeHead(204).end(); });
        return;
      }
      if (!handle || reason) {
        res.writeHead(503, { 'Content-Type': 'text/plain' });
        res.end(`ng-annotate is not running${reason ? `: ${reason}` : ''}\n`);
        return;
      }
      forwardHttp(req, res, handle, { allowedHosts: allowedHosts() }).catch(() => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
    },
    upgrade(req, socket, head) {
      if (!handle || reason) { socket.destroy(); return; }
      forwardUpgrade(req, socket, head, handle, { allowedHosts: allowedHosts() }).catch(() => socket.destroy());
    },
    // Every other response: an HTML page without the overlay is told once.
    seen(req, res) {
      if (!overlay || reason || toldUntagged) return;
      res.once('finish', () => {
        if (toldUntagged || !isHtmlPage(req, res) || res.getHeader(OVERLAY_MARK)) return;
        toldUntagged = true;
        log.warn(say(`${req.url} was served as HTML without the overlay: Nuxt's renderer did not make it ` +
          "(a server route or a file in public/?). Pages from app/pages get it; for others add " +
          '<script src="/__annotate/client.js"></script> to their <head>.'));
      });
    },
  };

  nuxt.hook('listen', (listenerServer, listener) => {
    server = listenerServer;
    attachBridge(server, bridge);
    if (reason || handle) return;
    const address = server.address();
    const port = address && typeof address === 'object' ? address.port : 0;
    const origins = [
      ...devServerOrigins({ host: address?.address, https: Boolean(listener?.https) }, port),
      ...(options.origins ?? []),
    ];
    handle = createDaemon({ root, binary: found.file, origins, log });
    const started = handle;
    started.ready.catch((error) => {
      if (started.stopping) return; // Nuxt closed while the daemon was starting
      reason = error.message;
      log.error(say(`${error.message}. Nuxt runs on without the overlay.`));
    });
  });
  // `listen` comes before the build in `nuxt dev`; a Nuxt run by something
  // else never calls it, and then nothing serves /__annotate.
  nuxt.hook('build:done', () => {
    if (server || reason) return;
    reason = "Nuxt's dev server never called the `listen` hook";
    log.warn(say(`${reason} (is this \`nuxt dev\`?): /__annotate is not served, so pages get no working overlay. ` +
      'Run `nuxt dev`, or put `npx ng-annotate serve --proxy http://localhost:3000` in front of this server.'));
  });
  nuxt.hook('close', async () => {
    if (server) attachBridge(server, null);
    await handle?.stop();
  });
}

// Nuxt reads a module's name and config key from here (defineNuxtModule's shape).
ngAnnotateNuxt.getMeta = () => ({ name: '@ng-annotate/vite-plugin/nuxt', configKey: 'ngAnnotate' });
