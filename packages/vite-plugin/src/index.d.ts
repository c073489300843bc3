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
}

export default function ngAnnotate(options?: NgAnnotateOptions): Plugin[];
export { ngAnnotate };
