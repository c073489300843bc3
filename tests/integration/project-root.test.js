// The project root an integration uses (SPEC §3): the app's package.json
// directory, not the bundler's root. Nuxt 4 sets Vite's root to app/: the
// daemon's store, the stamps' paths and init's .mcp.json must all land on
// the directory above it. packages/cli/lib/project-root.js, the stamp plugin
// as installed in examples/nuxt-demo, and the real `init`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { projectRoot } from '../../packages/cli/lib/project-root.js';
import { run, tempRoot } from './lib/cli.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../../..');
const NUXT_APP = join(REPO, 'examples/nuxt-demo');
const INSTALLED_PLUGIN = join(NUXT_APP, 'node_modules/@ng-annotate/vite-plugin/src/stamp-plugin.js');

// <dir>/package.json + <dir>/app/components/, as the Nuxt 4 starter lays it out.
function nuxtShaped(dir) {
  writeFileSync(join(dir, 'package.json'), '{"name": "shop", "private": true}\n');
  mkdirSync(join(dir, 'app/components'), { recursive: true });
  return realpathSync(dir);
}

test("projectRoot: the nearest directory at or above the bundler's root with a package.json", (t) => {
  const root = nuxtShaped(tempRoot(t));
  const noEnv = { env: {} };
  assert.equal(projectRoot(join(root, 'app'), noEnv), root);
  assert.equal(projectRoot(join(root, 'app/components'), noEnv), root);
  assert.equal(projectRoot(root, noEnv), root);
  // A package.json in app/ (a workspace package of its own) is that package's root.
  writeFileSync(join(root, 'app/package.json'), '{}\n');
  assert.equal(projectRoot(join(root, 'app'), noEnv), join(root, 'app'));
  // NG_ANNOTATE_PROJECT_ROOT wins, as everywhere (SPEC §3).
  assert.equal(projectRoot(join(root, 'app'), { env: { NG_ANNOTATE_PROJECT_ROOT: root } }), root);
});

test('projectRoot: with no package.json anywhere above, the directory itself', (t) => {
  const dir = mkdtempSync('/tmp/nga-no-package-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.ok(!existsSync('/tmp/package.json') && !existsSync('/package.json'), 'no package.json above /tmp');
  mkdirSync(join(dir, 'app'));
  assert.equal(projectRoot(join(dir, 'app'), { env: {} }), realpathSync(join(dir, 'app')));
});

test("init run from a Nuxt app's app/ writes .mcp.json at the root projectRoot gives (with and without .git)", (t) => {
  for (const git of [false, true]) {
    const root = nuxtShaped(tempRoot(t));
    if (git) mkdirSync(join(root, '.git'));
    const env = { ...process.env, HOME: join(root, 'home'), CODEX_HOME: '' };
    delete env.NG_ANNOTATE_PROJECT_ROOT;
    const r = run(['init'], { cwd: join(root, 'app'), env });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(root, '.mcp.json')), `.mcp.json at the project root (git: ${git})`);
    assert.ok(!existsSync(join(root, 'app/.mcp.json')));
    const args = JSON.parse(readFileSync(join(root, '.mcp.json'), 'utf8')).mcpServers['ng-annotate'].args;
    assert.equal(args[args.indexOf('--root') + 1], projectRoot(join(root, 'app'), { env: {} }));
  }
});

test("the stamp plugin, with Vite's root at app/, writes paths relative to the project root",
  { skip: !existsSync(INSTALLED_PLUGIN) && 'examples/nuxt-demo is not installed (make setup)' }, async (t) => {
    // Inside the installed app, so that vue/compiler-sfc resolves as in a user's project.
    const root = nuxtShaped(mkdtempSync(join(NUXT_APP, '.nga-tmp-')));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const { sourcePlugins } = await import(pathToFileURL(INSTALLED_PLUGIN).href);
    const [stamp] = sourcePlugins({ options: {} });
    await stamp.configResolved({ root: join(root, 'app') });
    const file = join(root, 'app/components/PriceTag.vue');
    const source = '<template>\n  <span class="price">1</span>\n</template>\n';
    const out = await stamp.transform.handler(source, file);
    assert.match(out.code, /<span data-nga-src="app\/components\/PriceTag\.vue:2:3" class="price">/);
  });
