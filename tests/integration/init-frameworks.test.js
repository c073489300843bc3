// `ng-annotate init` on each framework's project root as its generator makes
// it (tests/fixtures/init/<framework>/): it recognises the framework and
// prints that framework's one line and the file it goes in; once the line is
// there, it says so; the proxy only where no integration fits. One table,
// one row per framework.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, tempRoot } from './lib/cli.js';

const FIXTURES = resolve(fileURLToPath(import.meta.url), '../../fixtures/init');

function init(root) {
  const env = { ...process.env, HOME: join(root, 'home'), CODEX_HOME: '' };
  delete env.NG_ANNOTATE_PROJECT_ROOT;
  const r = run(['init'], { cwd: root, env });
  assert.equal(r.status, 0, `init: ${r.stderr}`);
  return r.stdout;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// [fixture dir, framework, config file, import line or null, the line, package]
const INTEGRATIONS = [
  ['next', 'Next.js', 'next.config.ts', "import { withNgAnnotate } from '@ng-annotate/next'",
    'export default withNgAnnotate(nextConfig)', '@ng-annotate/next'],
  ['nuxt', 'Nuxt', 'nuxt.config.ts', null, "modules: ['@ng-annotate/vite-plugin/nuxt']", '@ng-annotate/vite-plugin'],
  ['sveltekit', 'SvelteKit', 'vite.config.ts', "import ngAnnotate from '@ng-annotate/vite-plugin'",
    'plugins: [sveltekit(), ngAnnotate()]', '@ng-annotate/vite-plugin'],
  ['react-router', 'React Router', 'vite.config.ts', "import ngAnnotate from '@ng-annotate/vite-plugin'",
    'plugins: [reactRouter(), ngAnnotate()]', '@ng-annotate/vite-plugin'],
  ['astro', 'Astro', 'astro.config.mjs', "import ngAnnotate from '@ng-annotate/vite-plugin/astro'",
    'integrations: [ngAnnotate()]', '@ng-annotate/vite-plugin'],
  ['vite', 'Vite', 'vite.config.js', "import ngAnnotate from '@ng-annotate/vite-plugin'",
    'plugins: [ngAnnotate()]', '@ng-annotate/vite-plugin'],
  ['rsbuild', 'Rsbuild', 'rsbuild.config.ts', "import { pluginNgAnnotate } from '@ng-annotate/webpack/rsbuild'",
    'plugins: [pluginReact(), pluginNgAnnotate()]', '@ng-annotate/webpack'],
  ['webpack', 'webpack', 'webpack.config.js', "const { NgAnnotatePlugin } = require('@ng-annotate/webpack')",
    'plugins: [new NgAnnotatePlugin()]', '@ng-annotate/webpack'],
];

for (const [dir, framework, config, importLine, line, pkg] of INTEGRATIONS) {
  test(`init on a ${framework} app prints its one line for ${config}, then that it is there`, (t) => {
    const root = tempRoot(t);
    cpSync(join(FIXTURES, dir), root, { recursive: true });
    const out = init(root);
    const lines = [`${framework} app. Add it to ${config}:`, ...(importLine ? [importLine] : []), line];
    assert.match(out, new RegExp(lines.map(escape).join('\\n {7}')), out);
    assert.match(out, new RegExp(`npm i -D ${escape(pkg)} @ng-annotate/cli`));
    assert.doesNotMatch(out, /--proxy/);

    // With the line in its config file, init says it is there.
    const file = join(root, config);
    let text = '';
    try { text = readFileSync(file, 'utf8'); } catch { /* create-vite vanilla has none */ }
    writeFileSync(file, `${importLine ?? ''}\n${text}\n// ${line}\n`);
    assert.match(init(root), new RegExp(`${escape(config)} already loads ${escape(pkg)}: run your dev server as usual`));
  });
}

test('init on an Angular workspace switches the builder, and prints no other line', (t) => {
  const root = tempRoot(t);
  cpSync(join(FIXTURES, 'angular'), root, { recursive: true });
  const out = init(root);
  assert.match(out, /Run `ng serve` as usual: the builder starts ng-annotate/);
  assert.match(readFileSync(join(root, 'angular.json'), 'utf8'), /@ng-annotate\/angular:dev-server/);
  assert.doesNotMatch(out, /Add it to|--proxy/);
});

// tests/fixtures/angular-webpack: `ng new` switched to Angular's webpack
// builder. Its angular.json with the devkit's dev server put back is what the
// user has; init writes the one line, and nothing else: the committed file.
test('init on an Angular workspace on the webpack builder switches its serve builder, every option kept', (t) => {
  const root = tempRoot(t);
  const app = resolve(FIXTURES, '../angular-webpack');
  const committed = readFileSync(join(app, 'angular.json'), 'utf8');
  const theirs = committed.replace('"@ng-annotate/angular:dev-server"', '"@angular-devkit/build-angular:dev-server"');
  assert.notEqual(theirs, committed);
  writeFileSync(join(root, 'angular.json'), theirs);
  cpSync(join(app, 'package.json'), join(root, 'package.json'));
  const out = init(root);
  assert.match(out, /project angular-webpack: serve builder @angular-devkit\/build-angular:dev-server -> @ng-annotate\/angular:dev-server/);
  assert.match(out, /Run `ng serve` as usual: the builder starts ng-annotate/);
  assert.doesNotMatch(out, /Add it to|--proxy|left as it is/);
  assert.equal(readFileSync(join(root, 'angular.json'), 'utf8'), committed, 'only the builder string changed');
});
