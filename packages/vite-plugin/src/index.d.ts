// Types for `import ngAnnotate from '@ng-annotate/vite-plugin'` in a
// TypeScript vite.config (TypeScript finds this file beside index.js).
import type { Plugin } from 'vite';

export interface NgAnnotateOptions {
  /** Path to the ng-annotate binary (else NG_ANNOTATE_BIN, the @ng-annotate/cli package, PATH). */
  binary?: string;
  /** More page origins to allow, besides the dev server's own. */
  origins?: string[];
  /** Also forward /mcp (MCP over HTTP) through the dev server. */
  mcp?: boolean;
  /** false: no data-nga-src source stamps (and no Svelte props) in dev. */
  stamp?: boolean;
  /** false: pages get no overlay script tag (the page is left alone); /__annotate still reaches the daemon. */
  overlay?: boolean;
  /**
   * Preview mode of `vite build` (on only with NG_ANNOTATE_PREVIEW=1 as well): built pages load
   * the overlay from the team server `server`, elements carry short `data-nga-id` source ids, and
   * the id → file:line:col manifest goes to <root>/.ng-annotate/builds/<build>.json.
   */
  preview?: { server: string; project: string; build?: string };
}

export default function ngAnnotate(options?: NgAnnotateOptions): Plugin[];
export { ngAnnotate };
/** ng-annotate-mcp's name for its Vite plugin (same package name): the same as ngAnnotate(). */
export { ngAnnotate as ngAnnotateMcp };
