// @ng-annotate/vite-plugin: `plugins: [ngAnnotate()]` in vite.config.
//
// The factory returns small named sub-plugins that share one context (see
// ./context.js), all `apply: 'serve'`, so `vite build` and `vite preview`
// output never changes; the one exception is preview mode (./preview-plugin.js),
// which a build gets only with the `preview` option AND NG_ANNOTATE_PREVIEW=1. To add one: a file exporting `xxxPlugin(context)`,
// plus one line in the list below.
import { createContext } from './context.js';
import { daemonPlugin } from './daemon-plugin.js';
import { overlayPlugin } from './overlay-plugin.js';
import { htmlPlugin } from './html-plugin.js';
import { sourcePlugins } from './stamp-plugin.js';
import { previewPlugin } from './preview-plugin.js';

/**
 * @param {object} [options]
 * @param {string} [options.binary]   path to the ng-annotate binary (else NG_ANNOTATE_BIN,
 *                                    the @ng-annotate/cli package, PATH)
 * @param {string[]} [options.origins] more page origins to allow (besides the dev server's own)
 * @param {boolean} [options.mcp]     also forward /mcp (MCP over HTTP) through the dev server
 * @param {boolean} [options.stamp]   false: no data-nga-src source stamps on elements in dev
 * @param {boolean} [options.overlay] false: no overlay script tag in pages (the page is left
 *                                    alone, e.g. for ng-annotate-mcp's overlay); /__annotate still works
 * @param {{server: string, project: string, build?: string}} [options.preview]
 *                                    `vite build` with NG_ANNOTATE_PREVIEW=1: the overlay on the
 *                                    built pages, from the team server `server` (./preview-plugin.js)
 */
export default function ngAnnotate(options = {}) {
  const context = createContext(options);
  return [
    daemonPlugin(context), // ng-annotate:daemon  start/reuse the daemon, forward /__annotate
    overlayPlugin(context), // ng-annotate:overlay the overlay's script tag in Vite's index.html
    htmlPlugin(context), // ng-annotate:html    …and in pages the framework renders (SvelteKit, React Router, Astro)
    ...sourcePlugins(context), // ng-annotate:stamp, :svelte-props  data-nga-src on elements, Svelte props (C4)
    ...previewPlugin(context), // ng-annotate:preview  `vite build` in preview mode only (issue 20)
  ];
}

export { ngAnnotate };
// ng-annotate-mcp's Vite plugin, whose package had this name too, was
// `plugins: [...ngAnnotateMcp()]`: the same call keeps a switched config working.
export { ngAnnotate as ngAnnotateMcp };
