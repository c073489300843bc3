// `ng-annotate init` on real files: the Angular builder switch and --remove on
// angular.json fixtures, the next steps for Vite and for any other dev server,
// the root it picks without .git, Gemini's and Codex's configs, the npx form
// when @ng-annotate/cli is installed, a monorepo whose git root is above the
// app, and read-only commands that leave no store behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync, existsSync, copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, tempRoot } from './lib/cli.js';
import { projectRoot } from '../../packages/cli/lib/project-root.js';

const FIXTURES = resolve(fileURLToPath(import.meta.url), '../../fixtures/init');
const read = (...parts) => readFileSync(join(...parts), 'utf8');
const json = (...parts) => JSON.parse(read(...parts));

// init with HOME pointing into the temp dir, so nothing user-level is touched.
function init(root, args = [], options = {}) {
  const env = { ...process.env, HOME: join(root, 'home'), CODEX_HOME: '', ...options.env };
  delete env.NG_ANNOTATE_PROJECT_ROOT;
  const r = run(['init', ...args], { cwd: root, ...options, env });
  assert.equal(r.status, 0, `init ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function workspace(t, fixture) {
  const root = tempRoot(t);
  copyFileSync(join(FIXTURES, fixture), join(root, 'angular.json'));
  writeFileSync(join(root, 'package.json'), '{"devDependencies": {"@angular/cli": "^21.0.0"}}\n');
  return root;
}

const serveOf = (root, project) => json(root, 'angular.json').projects[project].architect.serve;

test('Angular workspace: the serve builder is switched with every option kept, once, and --remove restores it', (t) => {
  const root = workspace(t, 'angular-build.json');
  const original = read(root, 'angular.json');
  const out = init(root);
  assert.match(out, /updated {2}angular\.json/);
  assert.match(out, /project shop: serve builder @angular\/build:dev-server -> @ng-annotate\/angular:dev-server/);
  assert.match(out, /npm i -D @ng-annotate\/angular @ng-annotate\/cli/);
  assert.match(out, /Run `ng serve` as usual/);
  const switched = read(root, 'angular.json');
  // One line differs, the builder's: the rest is byte for byte what the CLI wrote.
  const a = original.split('\n'); const b = switched.split('\n');
  assert.equal(a.length, b.length);
  const changed = b.filter((line, i) => line !== a[i]);
  assert.deepEqual(changed, ['          "builder": "@ng-annotate/angular:dev-server",']);

  const again = init(root);
  assert.match(again, /unchanged {2}angular\.json/);
  assert.match(again, /project shop: serve already uses @ng-annotate\/angular:dev-server/);
  assert.doesNotMatch(again, /created|updated/);
  assert.equal(read(root, 'angular.json'), switched);

  const removed = init(root, ['--remove']);
  assert.match(removed, /project shop: serve builder @ng-annotate\/angular:dev-server -> @angular\/build:dev-server/);
  assert.equal(read(root, 'angular.json'), original);
  assert.match(init(root, ['--remove']), /no project's serve target uses @ng-annotate\/angular:dev-server/);
  assert.equal(read(root, 'angular.json'), original);
});

test('Angular workspace with several projects: esbuild and webpack (browser) dev servers switch, custom builders are left alone', (t) => {
  const root = workspace(t, 'angular-devkit.json');
  const original = json(root, 'angular.json');
  const out = init(root);
  assert.match(out, /project admin: serve builder @angular-devkit\/build-angular:dev-server -> @ng-annotate\/angular:dev-server/);
  assert.match(out, /project legacy: serve builder @angular-devkit\/build-angular:dev-server -> @ng-annotate\/angular:dev-server/);
  assert.match(out, /project custom: left as it is, its serve builder is @angular-builders\/custom-esbuild:dev-server/);
  assert.doesNotMatch(out, /ui-kit/);
  const after = json(root, 'angular.json');
  for (const p of ['admin', 'legacy']) {
    const { builder, ...rest } = after.projects[p].architect.serve;
    assert.equal(builder, '@ng-annotate/angular:dev-server');
    const { builder: _was, ...restBefore } = original.projects[p].architect.serve;
    assert.deepEqual(rest, restBefore, `${p}: every serve option kept`);
  }
  for (const p of ['custom', 'ui-kit']) assert.deepEqual(after.projects[p], original.projects[p]);

  init(root, ['--remove']);
  assert.deepEqual(json(root, 'angular.json'), original);
  assert.equal(serveOf(root, 'admin').builder, '@angular-devkit/build-angular:dev-server');
  assert.equal(serveOf(root, 'legacy').builder, '@angular-devkit/build-angular:dev-server');

  // --project picks one; an unknown one is an error naming the real ones.
  const r = run(['init', '--project', 'nope'], { cwd: root, env: { ...process.env, HOME: join(root, 'home') } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no project "nope" \(it has: admin, legacy, custom, ui-kit\)/);
  assert.deepEqual(json(root, 'angular.json'), original, 'nothing written on an error');
});

test('Vite project: the next step is the plugin line, or says it is already there', (t) => {
  const root = tempRoot(t);
  writeFileSync(join(root, 'package.json'), '{"devDependencies": {"vite": "^8.0.0"}}\n');
  writeFileSync(join(root, 'vite.config.ts'), "import { defineConfig } from 'vite'\nexport default defineConfig({})\n");
  const out = init(root);
  assert.match(out, /Add it to vite\.config\.ts:\n {7}import ngAnnotate from '@ng-annotate\/vite-plugin'\n {7}plugins: \[ngAnnotate\(\)\]/);
  assert.match(out, /npm i -D @ng-annotate\/vite-plugin @ng-annotate\/cli/);
  assert.doesNotMatch(out, /--proxy/);
  assert.ok(!existsSync(join(root, 'angular.json')));

  writeFileSync(join(root, 'vite.config.ts'),
    "import ngAnnotate from '@ng-annotate/vite-plugin'\nexport default { plugins: [ngAnnotate()] }\n");
  assert.match(init(root), /vite\.config\.ts already loads @ng-annotate\/vite-plugin/);
});

test('any other dev server: the next step is serve --proxy, with the port it usually has', (t) => {
  const root = tempRoot(t);
  writeFileSync(join(root, 'package.json'), '{"dependencies": {"react-scripts": "5.0.1", "react": "19.0.0"}}\n');
  const out = init(root);
  assert.match(out, / serve --proxy http:\/\/localhost:3000\n/);
  assert.match(out, /Create React App's usual port/);
  const bare = tempRoot(t);
  assert.match(init(bare), / serve --proxy http:\/\/localhost:PORT\n/);
});

test('without .git the root is the nearest directory holding package.json, and init says so', (t) => {
  const root = tempRoot(t);
  writeFileSync(join(root, 'package.json'), '{}\n');
  const deep = join(root, 'src', 'app');
  mkdirSync(deep, { recursive: true });
  const out = init(deep);
  assert.match(out, new RegExp(`^ng-annotate init in ${root} \\(root: the nearest directory holding package\\.json; pass --root DIR for another\\)`));
  assert.ok(existsSync(join(root, '.mcp.json')));
  assert.deepEqual(json(root, '.mcp.json').mcpServers['ng-annotate'].args, ['mcp', '--root', root]);
  assert.ok(!existsSync(join(deep, '.mcp.json')), 'nothing written into the subdirectory');
  assert.ok(!existsSync(join(deep, '.gitignore')));

  // The store commands use the same rule: status from src/app looks in the root.
  const status = run(['status'], { cwd: deep, env: { ...process.env, NG_ANNOTATE_PROJECT_ROOT: '' } });
  assert.match(status.stderr, new RegExp(`no ng-annotate store in ${root} yet`));

  // A directory with nothing above it: the working directory, said as such.
  const plain = tempRoot(t);
  assert.match(init(plain), /root: the working directory \(no \.git, angular\.json or package\.json above it\)/);
});

test('status, list and export do not create .ng-annotate/ where there is no store', (t) => {
  const root = tempRoot(t);
  for (const args of [['status'], ['list'], ['list', '--json'], ['export'], ['export', '--out', join(root, 'x.json')]]) {
    const r = run([...args, '--root', root]);
    assert.equal(r.status, 1, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, new RegExp(`^ng-annotate: no ng-annotate store in ${root} yet \\(root: from --root\\); start \`ng-annotate serve\``));
    assert.equal(r.stdout, '');
    assert.ok(!existsSync(join(root, '.ng-annotate')), `${args.join(' ')} created .ng-annotate/`);
    assert.ok(!existsSync(join(root, 'x.json')));
  }
});

test('--client gemini merges into .gemini/settings.json and keeps the rest', (t) => {
  const root = tempRoot(t);
  mkdirSync(join(root, '.gemini'));
  writeFileSync(join(root, '.gemini/settings.json'),
    JSON.stringify({ theme: 'GitHub', mcpServers: { db: { command: 'db-mcp', args: ['--ro'] } } }));
  const out = init(root, ['--client', 'gemini']);
  assert.match(out, /updated {2}\.gemini\/settings\.json/);
  assert.match(out, /\(Gemini CLI\)/);
  const settings = json(root, '.gemini/settings.json');
  assert.equal(settings.theme, 'GitHub');
  assert.deepEqual(settings.mcpServers.db, { command: 'db-mcp', args: ['--ro'] });
  assert.deepEqual(settings.mcpServers['ng-annotate'].args, ['mcp', '--root', root]);
  assert.ok(!existsSync(join(root, '.mcp.json')), 'only the client asked for');
  assert.match(init(root, ['--client', 'gemini']), /unchanged {2}\.gemini\/settings\.json/);
  // Found by default when the project has a .gemini directory.
  assert.match(init(root), /unchanged {2}\.gemini\/settings\.json/);
});

test('--client codex merges [mcp_servers.ng-annotate] into the user-level config.toml, keeping other tables', (t) => {
  const root = tempRoot(t);
  const home = join(root, 'home');
  mkdirSync(join(home, '.codex'), { recursive: true });
  const existing = '# mine\nmodel = "o3"\n\n[mcp_servers.github]\ncommand = "gh-mcp"\nargs = ["serve"]\n\n[profiles.fast]\nmodel = "mini"\n';
  writeFileSync(join(home, '.codex/config.toml'), existing);
  const out = init(root, ['--client', 'codex']);
  assert.match(out, new RegExp(`updated {2}${home}/\\.codex/config\\.toml {2}\\(Codex, user-level\\)`));
  assert.match(out, /Codex reads only your user-level config/);
  const toml = read(home, '.codex/config.toml');
  assert.ok(toml.startsWith(existing), 'every line that was there is kept');
  assert.match(toml, /\n\[mcp_servers\.ng-annotate\]\ncommand = "\/[^"]+"\nargs = \["mcp", "--root", "[^"]+"\]\n$/);
  assert.ok(toml.includes(`"--root", "${root}"`));
  assert.match(init(root, ['--client', 'codex']), /unchanged {2}.*config\.toml/);
  assert.equal(read(home, '.codex/config.toml'), toml);
  assert.ok(!existsSync(join(root, '.mcp.json')));

  // CODEX_HOME wins over HOME; `all` is the project-level clients only.
  const codexHome = join(root, 'codex-home');
  init(root, ['--client', 'codex,claude'], { env: { CODEX_HOME: codexHome } });
  assert.ok(existsSync(join(codexHome, 'config.toml')));
  assert.ok(existsSync(join(root, '.mcp.json')));
  const all = init(root, ['--client', 'all']);
  assert.doesNotMatch(all, /config\.toml/);
  for (const f of ['.mcp.json', '.vscode/mcp.json', '.cursor/mcp.json', '.gemini/settings.json']) {
    assert.ok(existsSync(join(root, f)), f);
  }
});

test('with @ng-annotate/cli installed the entries are npx ng-annotate mcp with a relative root', (t) => {
  const root = tempRoot(t);
  mkdirSync(join(root, 'node_modules/@ng-annotate/cli'), { recursive: true });
  writeFileSync(join(root, 'node_modules/@ng-annotate/cli/package.json'), '{"name": "@ng-annotate/cli"}\n');
  const out = init(root, ['--client', 'all']);
  assert.match(out, /run `npx ng-annotate mcp` with a relative root .*: commit them/);
  assert.match(out, /npx ng-annotate serve --proxy/);
  assert.doesNotMatch(read(root, '.mcp.json'), new RegExp(root), 'no absolute path in a committed file');
  assert.deepEqual(json(root, '.mcp.json').mcpServers['ng-annotate'],
    { command: 'npx', args: ['ng-annotate', 'mcp', '--root', '.'] });
  assert.deepEqual(json(root, '.gemini/settings.json').mcpServers['ng-annotate'],
    { command: 'npx', args: ['ng-annotate', 'mcp', '--root', '.'] });
  assert.deepEqual(json(root, '.vscode/mcp.json').servers['ng-annotate'],
    { type: 'stdio', command: 'npx', args: ['ng-annotate', 'mcp', '--root', '${workspaceFolder}'] });
  assert.deepEqual(json(root, '.cursor/mcp.json').mcpServers['ng-annotate'],
    { command: 'npx', args: ['ng-annotate', 'mcp', '--root', '${workspaceFolder}'] });

  // Without the package: absolute paths, and init says why.
  const plain = tempRoot(t);
  assert.match(init(plain), /by absolute path, because node_modules has no @ng-annotate\/cli/);
});

test('--client takes lists and refuses unknown names with a usage error', (t) => {
  const root = tempRoot(t);
  for (const bad of ['emacs', 'claude,emacs', '', ',']) {
    const r = run(['init', '--root', root, '--client', bad]);
    assert.equal(r.status, 2, `--client ${JSON.stringify(bad)}`);
    assert.match(r.stderr, /--client must be claude, vscode, cursor, gemini, codex or all/);
  }
  assert.ok(!existsSync(join(root, '.mcp.json')));
});

// The `ng add @ng-annotate/angular` schematic follows the same rules
// (packages/angular/README.md): on every angular.json fixture, init and the
// schematic's own functions give the same file, and each undoes the other.
const SCHEMATIC = resolve(FIXTURES, '../../../packages/angular/src/ng-add/workspace.js');
const ANGULAR_FIXTURES = resolve(FIXTURES, '../angular-workspaces');
test('init and the ng add schematic switch and restore angular.json alike',
  { skip: !existsSync(SCHEMATIC) && 'packages/angular (the schematic) is not in this tree' }, async (t) => {
    const { createRequire } = await import('node:module');
    const { readdirSync } = await import('node:fs');
    const schematic = createRequire(import.meta.url)(SCHEMATIC);
    const files = [FIXTURES, ANGULAR_FIXTURES].filter(existsSync)
      .flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f)));
    let compared = 0;
    for (const file of files) {
      const original = readFileSync(file, 'utf8');
      let theirs;
      try {
        theirs = schematic.switchServeBuilder(original, {}).text;
      } catch {
        continue;  // the schematic asks for --project (several apps) or refuses: init's choice differs there
      }
      const root = tempRoot(t);
      writeFileSync(join(root, 'angular.json'), original);
      init(root, ['--client', 'claude']);
      const ours = read(root, 'angular.json');
      assert.equal(ours, theirs, file);
      assert.equal(schematic.restoreServeBuilder(ours, {}).text, original, `schematic's remove of init's switch: ${file}`);
      init(root, ['--remove']);
      assert.equal(read(root, 'angular.json'), original, `init --remove: ${file}`);
      compared += 1;
    }
    assert.ok(compared >= 2, `compared only ${compared} fixtures`);
  });

// On the real create-vite app the Vite suites use (plugin and @ng-annotate/cli
// installed by `make setup`): a copy of it, its node_modules linked in.
const VITE_APP = resolve(FIXTURES, '../vite8');
test('init on the real Vite 8 fixture app: plugin already loaded, committable npx entries',
  { skip: !existsSync(join(VITE_APP, 'node_modules/@ng-annotate/cli/package.json')) && 'tests/fixtures/vite8 is not installed (make setup)' }, async (t) => {
    const { cpSync, symlinkSync } = await import('node:fs');
    const root = tempRoot(t);
    cpSync(VITE_APP, root, { recursive: true, filter: (src) => !src.includes('/node_modules') });
    symlinkSync(join(VITE_APP, 'node_modules'), join(root, 'node_modules'));
    const out = init(root);
    assert.match(out, /vite\.config\.js already loads @ng-annotate\/vite-plugin/);
    assert.match(out, /run `npx ng-annotate mcp` with a relative root/);
    assert.deepEqual(json(root, '.mcp.json').mcpServers['ng-annotate'],
      { command: 'npx', args: ['ng-annotate', 'mcp', '--root', '.'] });
    // Without the plugin line, the next step is that line.
    writeFileSync(join(root, 'vite.config.js'), "import { defineConfig } from 'vite';\nexport default defineConfig({});\n");
    assert.match(init(root), /Add it to vite\.config\.js:\n {7}import ngAnnotate from '@ng-annotate\/vite-plugin'/);
  });

test('monorepo: run in the app below the git root, the MCP entries at the git root name the app the integrations use', (t) => {
  const repo = tempRoot(t);
  mkdirSync(join(repo, '.git'));
  writeFileSync(join(repo, 'package.json'), '{"private": true, "workspaces": ["apps/*"]}\n');
  const web = join(repo, 'apps/web');
  mkdirSync(join(web, 'src'), { recursive: true });
  writeFileSync(join(web, 'package.json'), '{"devDependencies": {"vite": "^8.0.0"}}\n');
  writeFileSync(join(web, 'vite.config.ts'), 'export default {};\n');
  mkdirSync(join(web, 'node_modules/@ng-annotate/cli'), { recursive: true });
  writeFileSync(join(web, 'node_modules/@ng-annotate/cli/package.json'), '{"name": "@ng-annotate/cli"}\n');
  mkdirSync(join(repo, '.vscode'));

  const out = init(repo, ['--client', 'claude,vscode'], { cwd: join(web, 'src') });
  assert.match(out, /root: the nearest directory holding \.git/);
  assert.match(out, /The app is apps\/web .*keeps the store in apps\/web\/\.ng-annotate/);
  assert.match(out, /Vite app\. Add it to vite\.config\.ts/, 'the app\'s framework, not the workspace\'s');
  // The agent runs at the git root: the configs are there, and name the app.
  const claude = json(repo, '.mcp.json').mcpServers['ng-annotate'];
  assert.deepEqual(claude, { command: 'npx', args: ['ng-annotate', 'mcp', '--root', 'apps/web'] });
  assert.deepEqual(json(repo, '.vscode/mcp.json').servers['ng-annotate'].args,
    ['ng-annotate', 'mcp', '--root', '${workspaceFolder}/apps/web']);
  assert.ok(!existsSync(join(web, '.mcp.json')), 'no config in the app');
  // The same directory as every integration's project root (the Vite plugin,
  // the Nuxt module, the Next wrapper): the MCP server and the daemon share a store.
  assert.equal(resolve(repo, claude.args.at(-1)), projectRoot(join(web, 'src')));
  // And the store `status` opens from the app, by the entry's root, is that one.
  const status = run(['status', '--root', claude.args.at(-1)], { cwd: repo });
  assert.match(status.stdout + status.stderr, new RegExp(`${join(web).replace(/[.]/g, '\\.')}`));
});
