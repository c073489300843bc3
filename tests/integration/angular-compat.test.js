// @ng-annotate/angular for an app written for ng-annotate-mcp (issue 21, item
// 9). ng-annotate-mcp's Angular package has the same name, and its users'
// app.config.ts has `import { provideNgAnnotate } from '@ng-annotate/angular'`
// with `providers: [provideNgAnnotate()]`: after the switch that import
// reaches ours, which must export it (a documented no-op) from a browser-safe
// entry, so the app still compiles; the builder is still found through
// builders.json. Also: the builder's bridge logs a page whose overlay stepped
// aside for ng-annotate-mcp's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEMO, nodeFor, ng } from './lib/ng.js';

const PACKAGES = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages');

function tempDir(t, prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
  return dir;
}

test('`@ng-annotate/angular` resolves to provideNgAnnotate(), a no-op, for import and require; the builder is still found', async (t) => {
  const app = tempDir(t, 'nga-ng-compat-');
  const installed = join(app, 'node_modules/@ng-annotate/angular');
  mkdirSync(dirname(installed), { recursive: true });
  cpSync(join(PACKAGES, 'angular'), installed, { recursive: true });
  writeFileSync(join(app, 'package.json'), '{"name":"app","private":true}');
  writeFileSync(join(app, 'main.mjs'), "export { provideNgAnnotate } from '@ng-annotate/angular';\n");

  const esm = await import(pathToFileURL(join(app, 'main.mjs')).href);
  assert.deepEqual(esm.provideNgAnnotate(), []);
  const cjs = createRequire(join(app, 'main.cjs'))('@ng-annotate/angular');
  assert.deepEqual(cjs.provideNgAnnotate(), []);

  // What Angular's architect reads to find `@ng-annotate/angular:dev-server`.
  const req = createRequire(join(app, 'main.cjs'));
  const pkgFile = req.resolve('@ng-annotate/angular/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  const builders = JSON.parse(readFileSync(join(dirname(pkgFile), pkg.builders), 'utf8'));
  assert.equal(builders.builders['dev-server'].implementation, './src/dev-server/index.js');
  // The types say what ng-annotate-mcp's did, and that it is a no-op.
  const types = readFileSync(join(dirname(pkgFile), pkg.exports['.'].types), 'utf8');
  assert.match(types, /export declare function provideNgAnnotate\(\): EnvironmentProviders;/);
  assert.match(types, /@deprecated/);
});

test('the builder logs once a page whose overlay stepped aside for ng-annotate-mcp, and answers 204', async (t) => {
  const { createBridge, NOTICE_PATH } = createRequire(import.meta.url)(join(PACKAGES, 'angular/src/dev-server/bridge.js'));
  assert.equal(NOTICE_PATH, '/__annotate/notice/foreign-overlay');
  const lines = [];
  const log = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
  const forwarded = [];
  const lib = { forwardHttp: async (req, res) => { forwarded.push(req.url); res.writeHead(200).end(); } };
  const bridge = createBridge({ daemon: async () => ({}), lib, log });
  const http = createServer((req, res) => bridge.middleware(req, res, () => res.writeHead(404).end()));
  await new Promise((done) => http.listen(0, '127.0.0.1', done));
  t.after(() => new Promise((done) => { http.closeAllConnections(); http.close(done); }));
  const post = (body) => new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port: http.address().port, method: 'POST', path: NOTICE_PATH, timeout: 10000 },
      (res) => { res.resume(); res.on('end', () => done(res.statusCode)); });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', fail);
    req.end(body);
  });
  assert.equal(await post('http://localhost:4200/'), 204);
  assert.equal(await post('http://localhost:4200/'), 204);
  assert.deepEqual(forwarded, [], 'the notice went to the daemon');
  assert.equal(lines.filter((l) => l.includes("http://localhost:4200/ runs ng-annotate-mcp's overlay")).length, 1, lines.join('\n'));
});

// The demo in a temp dir whose node_modules is the demo's, entry by entry,
// except @ng-annotate/angular: this tree's packages/angular.
function demoWithThisPackage(t) {
  const parent = tempDir(t, 'nga-ng-compat-app-');
  const dir = join(parent, basename(DEMO));
  const skip = new Set(['node_modules', '.angular', 'dist', '.ng-annotate']);
  cpSync(DEMO, dir, { recursive: true, filter: (src) => src === DEMO || !skip.has(basename(src)) });
  const from = realpathSync(join(DEMO, 'node_modules'));
  const to = join(dir, 'node_modules');
  mkdirSync(join(to, '@ng-annotate'), { recursive: true });
  for (const name of readdirSync(from)) {
    if (name !== '@ng-annotate') symlinkSync(join(from, name), join(to, name));
  }
  symlinkSync(join(PACKAGES, 'angular'), join(to, '@ng-annotate/angular'));
  symlinkSync(realpathSync(join(from, '@ng-annotate/cli')), join(to, '@ng-annotate/cli'));
  return dir;
}

test('an app.config.ts written for ng-annotate-mcp (provideNgAnnotate()) still builds with ng build', async (t) => {
  const dir = demoWithThisPackage(t);
  const config = join(dir, 'src/app/app.config.ts');
  const text = readFileSync(config, 'utf8');
  // What ng-annotate-mcp's `ng add` writes into app.config.ts.
  writeFileSync(config, `${text.replace(/(import [^\n]*\n)(?![\s\S]*\nimport )/, "$1import { provideNgAnnotate } from '@ng-annotate/angular';\n")
    .replace(/providers: \[/, 'providers: [\n    provideNgAnnotate(),')}`);
  assert.match(readFileSync(config, 'utf8'), /provideNgAnnotate\(\),[\s\S]*import|import \{ provideNgAnnotate \}[\s\S]*provideNgAnnotate\(\),/);

  const out = join(dir, 'out');
  const r = await ng(dir, ['build', '--configuration', 'development', '--output-path', out], { node: nodeFor(DEMO) });
  assert.equal(r.status, 0, r.output);
  const main = readdirSync(join(out, 'browser')).find((f) => /^main[-.\w]*\.js$/.test(f));
  assert.ok(main, readdirSync(join(out, 'browser')).join(' '));
  const js = readFileSync(join(out, 'browser', main), 'utf8');
  assert.match(js, /provideNgAnnotate/, 'the import was not bundled');
  assert.doesNotMatch(js, /executeDevServerBuilder|child_process/, 'the builder was bundled into the app');
});
