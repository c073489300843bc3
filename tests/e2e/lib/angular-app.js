// tests/fixtures/angular-webpack (ng new, switched to Angular's webpack
// builder, served through "builder": "@ng-annotate/angular:dev-server") on
// its real `ng serve`, in place; the truth is its row in tests/e2e/apps.test.js.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './vite-app.js';
import { nodeFor, ngServe } from '../../integration/lib/ng.js';

export const ANGULAR_WEBPACK_ROOT = join(REPO, 'tests/fixtures/angular-webpack');

// `ng serve` on 127.0.0.1, any free port; resolves with {root, url, log()}
// once it listens (after its first build). Stopped when the test ends.
export async function startAngularApp(t, root = ANGULAR_WEBPACK_ROOT) {
  // A fresh store: a stored annotation of an earlier run must not pass for this one's.
  rmSync(join(root, '.ng-annotate'), { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  const server = await ngServe(root, { node: nodeFor(root), args: ['--host', '127.0.0.1'] });
  t.after(() => server.stop());
  return { root, url: `${server.url}/`, log: server.output };
}
