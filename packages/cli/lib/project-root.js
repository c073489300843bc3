// The project root an integration hands the daemon and the source stamps
// (SPEC §3): NG_ANNOTATE_PROJECT_ROOT when set, else the nearest directory at
// or above the bundler's own root that holds a package.json (the app's), else
// that root itself. Never the bundler's root as such: Nuxt 4 sets Vite's
// `root` to `app/`, so the store would land in `app/.ng-annotate` (where
// `.mcp.json`'s `--root .` never looks) and stamps would read
// `components/X.vue` instead of `app/components/X.vue`. Node's modules only.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

function realDir(dir) {
  try { return realpathSync(dir); } catch { return resolve(dir); }
}

function hasPackageJson(dir) {
  try { return statSync(resolve(dir, 'package.json')).isFile(); } catch { return false; }
}

/**
 * The real path of the project root for a bundler root `dir` (absolute or
 * relative to the working directory). `env` is for tests.
 */
export function projectRoot(dir, { env = process.env } = {}) {
  const fromEnv = env.NG_ANNOTATE_PROJECT_ROOT;
  if (fromEnv && existsSync(fromEnv)) return realDir(fromEnv);
  const start = realDir(dir);
  for (let at = start; ; at = dirname(at)) {
    if (hasPackageJson(at)) return at;
    if (dirname(at) === at) return start;
  }
}
