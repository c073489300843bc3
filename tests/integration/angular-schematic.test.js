// ng add @ng-annotate/angular on angular.json fixtures, run through the Angular
// CLI's own schematics engine (SchematicTestRunner of the demo app's
// @angular-devkit/schematics): the serve builder is switched, every other byte of
// angular.json stays, the MCP config is written, and a second run changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { run } from './lib/cli.js';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demo = path.join(repo, 'examples/angular-demo');
const demoRequire = createRequire(path.join(demo, 'package.json'));
const { SchematicTestRunner } = demoRequire('@angular-devkit/schematics/testing');
const { HostTree } = demoRequire('@angular-devkit/schematics');
const pkgRequire = createRequire(path.join(repo, 'packages/angular/package.json'));
const { restoreServeBuilder } = pkgRequire('./src/ng-add/workspace.js');

const collection = path.join(repo, 'packages/angular/collection.json');
const fixture = (name) => readFileSync(path.join(repo, 'tests/fixtures/angular-workspaces', name), 'utf8');
const OURS = '@ng-annotate/angular:dev-server';

function treeWith(files) {
  const tree = new HostTree();
  for (const [name, text] of Object.entries(files)) tree.create(name, text);
  return tree;
}

async function ngAdd(tree, options = {}) {
  const runner = new SchematicTestRunner('@ng-annotate/angular', collection);
  const logs = [];
  runner.logger.subscribe((entry) => logs.push(entry.message));
  const out = await runner.runSchematic('ng-add', options, tree);
  return { tree: out, logs };
}

const read = (tree, file) => tree.read(file)?.toString('utf8') ?? null;
// A JSONC reader good enough for the fixtures (comments only outside strings there).
const parse = (text) => JSON.parse(text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''));

/** The text with the one builder string put back, to compare byte for byte. */
function withBuilder(text, from, to) {
  const i = text.indexOf(JSON.stringify(from));
  assert.ok(i >= 0);
  return text.slice(0, i) + JSON.stringify(to) + text.slice(i + JSON.stringify(from).length);
}

test('ng new workspace: serve switched, nothing else in angular.json changed, MCP config and .gitignore written', async () => {
  const original = fixture('ng-new-22.angular.json');
  const { tree, logs } = await ngAdd(treeWith({ 'angular.json': original, '.gitignore': '/node_modules\n' }));
  const text = read(tree, 'angular.json');
  assert.equal(parse(text).projects['angular-demo'].architect.serve.builder, OURS);
  assert.equal(withBuilder(text, OURS, '@angular/build:dev-server'), original, 'only the builder string changed');
  const mcp = JSON.parse(read(tree, '.mcp.json'));
  assert.deepEqual(mcp.mcpServers['ng-annotate'], { command: 'npx', args: ['ng-annotate', 'mcp', '--root', '.'] });
  assert.equal(read(tree, '.gitignore'), "/node_modules\n# ng-annotate's local store\n.ng-annotate/\n");
  assert.ok(logs.some((l) => l.includes('now serves with @ng-annotate/angular:dev-server')), logs.join('\n'));
});

test('options, configurations and defaultConfiguration are kept; the library is left alone; a second run changes nothing', async () => {
  const original = fixture('options-and-configs.angular.json');
  const other = { mcpServers: { other: { command: 'other-server', args: ['--x'] } } };
  const first = await ngAdd(treeWith({ 'angular.json': original, '.mcp.json': JSON.stringify(other) }));
  const before = parse(original);
  const after = parse(read(first.tree, 'angular.json'));
  const { builder: b1, ...serveBefore } = before.projects.shop.architect.serve;
  const { builder: b2, ...serveAfter } = after.projects.shop.architect.serve;
  assert.equal(b1, '@angular/build:dev-server');
  assert.equal(b2, OURS);
  assert.deepEqual(serveAfter, serveBefore);
  assert.deepEqual(after.projects['ui-lib'], before.projects['ui-lib']);
  const mcp = JSON.parse(read(first.tree, '.mcp.json'));
  assert.deepEqual(mcp.mcpServers.other, other.mcpServers.other, 'other servers kept');

  const snapshot = Object.fromEntries(['angular.json', '.mcp.json', '.gitignore'].map((f) => [f, read(first.tree, f)]));
  const second = await ngAdd(first.tree);
  for (const [file, text] of Object.entries(snapshot)) assert.equal(read(second.tree, file), text, `${file} unchanged`);
  assert.ok(second.logs.some((l) => l.includes('already serves with')), second.logs.join('\n'));
});

test('a devkit workspace with comments: switched in place, comments kept; restore puts the devkit builder back', async () => {
  const original = fixture('devkit-with-comments.angular.json');
  const { tree } = await ngAdd(treeWith({ 'angular.json': original }));
  const text = read(tree, 'angular.json');
  assert.equal(withBuilder(text, OURS, '@angular-devkit/build-angular:dev-server'), original);
  assert.match(text, /\/\* the one to switch \*\//);
  const restored = restoreServeBuilder(text);
  assert.equal(restored.text, original);
  assert.deepEqual(restored.restored, [{ project: 'admin', to: '@angular-devkit/build-angular:dev-server' }]);
});

test('several applications: all of them by default, or the one --project names', async () => {
  const original = fixture('two-apps.angular.json');
  const all = parse(read((await ngAdd(treeWith({ 'angular.json': original }))).tree, 'angular.json'));
  assert.equal(all.projects.site.architect.serve.builder, OURS);
  assert.equal(all.projects.docs.architect.serve.builder, OURS);
  const { tree } = await ngAdd(treeWith({ 'angular.json': original }), { project: 'docs' });
  const one = parse(read(tree, 'angular.json'));
  assert.equal(one.projects.docs.architect.serve.builder, OURS);
  assert.equal(one.projects.site.architect.serve.builder, '@angular/build:dev-server');
  const back = restoreServeBuilder(read(tree, 'angular.json'));
  assert.equal(back.text, original);
  await assert.rejects(ngAdd(treeWith({ 'angular.json': original }), { project: 'nope' }), /no project "nope"/);
});

test('a webpack workspace (@angular-devkit/build-angular:browser, as tests/fixtures/angular-webpack): switched, only the builder string; restore puts the devkit dev server back', async () => {
  const original = fixture('webpack.angular.json');
  const { tree, logs } = await ngAdd(treeWith({ 'angular.json': original }));
  const text = read(tree, 'angular.json');
  assert.equal(parse(text).projects['angular-webpack'].architect.serve.builder, OURS);
  assert.equal(withBuilder(text, OURS, '@angular-devkit/build-angular:dev-server'), original, 'only the builder string changed');
  assert.ok(logs.some((l) => l.includes('now serves with @ng-annotate/angular:dev-server (was @angular-devkit/build-angular:dev-server')), logs.join('\n'));
  assert.equal(restoreServeBuilder(text).text, original);
});

test('what it cannot wrap (another webpack builder), an unparsable .mcp.json, no angular.json: errors that say what to do, nothing written', async () => {
  const customWebpack = fixture('webpack.angular.json')
    .replace('"@angular-devkit/build-angular:browser"', '"@angular-builders/custom-webpack:browser"');
  await assert.rejects(ngAdd(treeWith({ 'angular.json': customWebpack })), /custom-webpack:browser.*serve --proxy/);
  const broken = treeWith({ 'angular.json': fixture('ng-new-22.angular.json'), '.mcp.json': '{ nope' });
  await assert.rejects(ngAdd(broken), /\.mcp\.json is not valid JSON/);
  assert.equal(read(broken, '.mcp.json'), '{ nope');
  await assert.rejects(ngAdd(treeWith({ 'package.json': '{}' })), /no angular\.json/);
});

for (const [major, app] of [['22', 'examples/angular-demo'], ['21', 'tests/fixtures/angular21']]) {
  test(`our builder schema declares every option of @angular/build:dev-server ${major}`, () => {
    const ours = JSON.parse(readFileSync(path.join(repo, 'packages/angular/src/dev-server/schema.json'), 'utf8'));
    const appRequire = createRequire(path.join(repo, app, 'package.json'));
    const buildDir = path.dirname(appRequire.resolve('@angular/build/package.json'));
    assert.equal(JSON.parse(readFileSync(path.join(buildDir, 'package.json'), 'utf8')).version.split('.')[0], major);
    const theirs = JSON.parse(readFileSync(path.join(buildDir, 'src/builders/dev-server/schema.json'), 'utf8'));
    // Every one of theirs; ours has the webpack dev server's few more (next test).
    for (const key of Object.keys(theirs.properties)) assert.ok(key in ours.properties, key);
    assert.deepEqual(ours.required, theirs.required);
  });
}

// One schema for both dev servers it runs: @angular/build's, and for a webpack
// browser build @angular-devkit/build-angular's (its options as the fixture has them).
test('our builder schema declares the options of both dev servers it runs, and no other', () => {
  const ours = JSON.parse(readFileSync(path.join(repo, 'packages/angular/src/dev-server/schema.json'), 'utf8'));
  const schemaOf = (app, pkg) => {
    const dir = path.dirname(createRequire(path.join(repo, app, 'package.json')).resolve(`${pkg}/package.json`));
    return JSON.parse(readFileSync(path.join(dir, 'src/builders/dev-server/schema.json'), 'utf8'));
  };
  const esbuild = schemaOf('examples/angular-demo', '@angular/build');
  const webpack = schemaOf('tests/fixtures/angular-webpack', '@angular-devkit/build-angular');
  const both = new Set([...Object.keys(esbuild.properties), ...Object.keys(webpack.properties)]);
  assert.deepEqual(Object.keys(ours.properties).sort(), [...both].sort());
  assert.deepEqual(webpack.required, ours.required);
});

// ng add and `ng-annotate init` (the binary's C++) follow the same rules: on each
// fixture they give the same angular.json (byte for byte where the file is written
// the way the Angular CLI writes it), .mcp.json and .gitignore; init --remove
// restores the original.
for (const name of ['ng-new-22.angular.json', 'options-and-configs.angular.json', 'two-apps.angular.json', 'webpack.angular.json']) {
  test(`ng add and ng-annotate init agree on ${name}`, async (t) => {
    const original = fixture(name);
    const { tree } = await ngAdd(treeWith({ 'angular.json': original, '.gitignore': '/dist\n' }));

    const dir = mkdtempSync(path.join(tmpdir(), 'nga-init-'));
    t.after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, 'angular.json'), original);
    writeFileSync(path.join(dir, 'package.json'), '{}');
    writeFileSync(path.join(dir, '.gitignore'), '/dist\n');
    // @ng-annotate/cli installed: init writes the committable npx entry, as ng add does.
    mkdirSync(path.join(dir, 'node_modules/@ng-annotate'), { recursive: true });
    symlinkSync(path.join(repo, 'packages/cli'), path.join(dir, 'node_modules/@ng-annotate/cli'));
    const init = run(['init', '--root', dir, '--client', 'claude']);
    assert.equal(init.status, 0, init.stderr + init.stdout);
    const onDisk = (f) => readFileSync(path.join(dir, f), 'utf8');

    assert.deepEqual(parse(onDisk('angular.json')), parse(read(tree, 'angular.json')));
    if (name === 'ng-new-22.angular.json' || name === 'webpack.angular.json') assert.equal(onDisk('angular.json'), read(tree, 'angular.json'));
    assert.deepEqual(JSON.parse(onDisk('.mcp.json')), JSON.parse(read(tree, '.mcp.json')));
    assert.equal(onDisk('.gitignore'), read(tree, '.gitignore'));

    const remove = run(['init', '--remove', '--root', dir]);
    assert.equal(remove.status, 0, remove.stderr + remove.stdout);
    assert.deepEqual(parse(onDisk('angular.json')), parse(original));
    assert.deepEqual(parse(restoreServeBuilder(read(tree, 'angular.json')).text), parse(original));
  });
}

// An `ng new` workspace has Prettier (and a .prettierrc), and the Angular CLI
// formats what a schematic wrote with it: short arrays go on one line
// (`"styles": ["src/styles.css"]` in angular.json, `"args": [...]` in
// .mcp.json). init afterwards must see that nothing is left to do.
test("after ng add and the workspace's Prettier, init changes nothing and says so", async (t) => {
  const prettier = demoRequire('prettier');
  const options = JSON.parse(readFileSync(path.join(demo, '.prettierrc'), 'utf8'));
  const { tree } = await ngAdd(treeWith({ 'angular.json': fixture('ng-new-22.angular.json'), '.gitignore': '/dist\n' }));
  const dir = mkdtempSync(path.join(tmpdir(), 'nga-prettier-'));
  t.after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
  mkdirSync(path.join(dir, '.git'));
  writeFileSync(path.join(dir, 'package.json'), '{}');
  mkdirSync(path.join(dir, 'node_modules/@ng-annotate'), { recursive: true });
  symlinkSync(path.join(repo, 'packages/cli'), path.join(dir, 'node_modules/@ng-annotate/cli'));
  const formatted = {};
  for (const file of ['angular.json', '.mcp.json', '.gitignore']) {
    const text = read(tree, file);
    formatted[file] = file.endsWith('.json') ? await prettier.format(text, { ...options, filepath: file }) : text;
    writeFileSync(path.join(dir, file), formatted[file]);
  }
  assert.notEqual(formatted['.mcp.json'], read(tree, '.mcp.json'), 'Prettier did reformat .mcp.json');
  const init = run(['init', '--root', dir, '--client', 'claude']);
  assert.equal(init.status, 0, init.stderr + init.stdout);
  for (const file of ['angular.json', '.mcp.json', '.gitignore']) {
    assert.match(init.stdout, new RegExp(`unchanged +${file.replace('.', '\\.')}\\n`), init.stdout);
    assert.equal(readFileSync(path.join(dir, file), 'utf8'), formatted[file], `${file} byte for byte`);
  }
});
