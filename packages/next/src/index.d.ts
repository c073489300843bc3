// Types of withNgAnnotate (next.config.ts type-checks its imports in `next build`).
import type { NextConfig } from 'next';

export interface NgAnnotateNextOptions {
  /** The ng-annotate binary; else NG_ANNOTATE_BIN, @ng-annotate/cli's, or PATH. */
  binary?: string;
  /** More page origins the daemon accepts. */
  origins?: string[];
  /** false: the overlay without source stamps. */
  stamp?: boolean;
  /** `next build` with NG_ANNOTATE_PREVIEW=1: the overlay on the deployed build, from the team server (issue 20). */
  preview?: { server: string; project: string; build?: string };
}

type ConfigFunction = (phase: string, context: { defaultConfig: NextConfig }) => NextConfig | Promise<NextConfig>;

export function withNgAnnotate(config?: NextConfig | ConfigFunction, options?: NgAnnotateNextOptions):
  (phase: string, context: { defaultConfig: NextConfig }) => Promise<NextConfig>;
export default withNgAnnotate;
