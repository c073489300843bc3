// ng-annotate:html: the overlay's script tag in HTML the framework renders
// itself. SvelteKit, React Router (framework mode) and Astro render pages on
// the server and answer from their own dev-server middleware: Vite's
// transformIndexHtml never sees those pages. This middleware, first in line,
// watches every response that passes through Vite's server and, when it is a
// `text/html` page, puts the tag before `</head>` (at the start of the body
// when there is no head), as `ng-annotate serve --proxy` does.
//
// The page streams on (./html-inject.js has the rules); where the tag cannot
// go in, the dev log says so once, with the fix. Dev server only: `vite
// build` and the framework's build never see it.
import { isAnnotatePath, overlayTag } from '@ng-annotate/cli/lib/daemon.js';
import { overlayMiddleware } from './html-inject.js';

export function htmlPlugin(context) {
  return {
    name: 'ng-annotate:html',
    apply: 'serve',
    enforce: 'pre', // our middleware before the framework's page handler
    configureServer(server) {
      if (context.options.overlay === false) return; // said by the overlay sub-plugin
      const told = new Set();
      const warnOnce = (key, message) => {
        if (told.has(key)) return;
        told.add(key);
        server.config.logger.warn(message, { timestamp: true });
      };
      server.middlewares.use(overlayMiddleware({
        enabled: () => !context.disabled,
        skip: isAnnotatePath,
        tag: overlayTag(),
        warnOnce,
      }));
    },
  };
}

