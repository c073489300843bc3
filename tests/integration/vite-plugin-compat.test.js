// The Vite plugin beside ng-annotate-mcp (issue 21, item 9), through its
// hooks with a stand-in for Vite's server object (the plugin on real Vite
// servers is tests/integration/vite-plugin-vite8.test.js and -vite5):
// `ngAnnotate({ overlay: false })` leaves pages alone and says so; a config
// that still runs ng-annotate-mcp's own Vite plugin is left alone; a page
// whose overlay stepped aside is logged once; `ngAnnotateMcp()`, that
// plugin's name in the package ours replaces, still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PACKAGES = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages');

// The plugin as an app installs it: node_modules/@ng-annotate/{vite-plugin,cli}.
async function installedPlugin(t) {
  const dir = mkdtempSync(join(tmpdir(), 'nga-vite-compat-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const scope = join(dir, 'node_modules/@ng-annotate');
  mkdirSync(scope, { recursive: true });
  cpSync(join(PACKAGES, 'vite-plugin'), join(scope, 'vite-plugin'), { recursive: true });
  symlinkSync(join(PACKAGES, 'cli'), join(scope, 'cli'));
  return { dir, module: await import(pathToFileURL(join(scope, 'vite-plugin/src/index.js')).href) };
}

function recordingLogger() {
  const lines = [];
  const logger = {};
  for (const level of ['info', 'warn', 'error']) logger[level] = (m) => lines.push(`${level}: ${m}`);
  return { lines, logger };
}

// What Vite hands the hooks, as far as these tests reach.
function fakeVite(dir, plugins, logger) {
  const middlewares = [];
  return {
    config: { root: dir, logger, plugins, server: {} },
    server: {
      config: { logger, server: {} },
      middlewares: { use: (fn) => middlewares.push(fn) },
      httpServer: null,
    },
    middlewares,
  };
}

function byName(plugins, name) {
  const found = plugins.find((p) => p.name === name);
  assert.ok(found, `no sub-plugin ${name}`);
  return found;
}

const tagsOf = (overlayPlugin) => overlayPlugin.transformIndexHtml.handler('<html></html>');

test('overlay: false: no script tag in pages, and the dev log says so', async (t) => {
  const { dir, module } = await installedPlugin(t);
  const plugins = module.default({ overlay: false, binary: '/nonexistent/ng-annotate-for-this-test' });
  const { lines, logger } = recordingLogger();
  const vite = fakeVite(dir, plugins, logger);
  for (const p of plugins) p.configResolved?.(vite.config);
  byName(plugins, 'ng-annotate:overlay').configureServer(vite.server);
  assert.equal(tagsOf(byName(plugins, 'ng-annotate:overlay')), undefined);
  assert.ok(lines.some((l) => /overlay: false/.test(l)), lines.join('\n'));

  // The default still injects the tag (the check above can fail).
  const defaults = module.default({});
  assert.equal(tagsOf(byName(defaults, 'ng-annotate:overlay'))[0].attrs.src, '/__annotate/client.js');
});

test("ng-annotate-mcp's own Vite plugin in the config: ours leaves the dev server alone and says why", async (t) => {
  const { dir, module } = await installedPlugin(t);
  const plugins = module.default({});
  const theirs = [{ name: 'ng-annotate-mcp' }, { name: 'ng-annotate-mcp:manifest' }];
  const { lines, logger } = recordingLogger();
  const vite = fakeVite(dir, [...theirs, ...plugins], logger);
  for (const p of plugins) p.configResolved?.(vite.config);
  byName(plugins, 'ng-annotate:daemon').configureServer(vite.server);
  assert.equal(tagsOf(byName(plugins, 'ng-annotate:overlay')), undefined);
  assert.ok(lines.some((l) => l.startsWith('warn:') && l.includes("ng-annotate-mcp's Vite plugin (ng-annotate-mcp)")), lines.join('\n'));
});

test('a page whose overlay stepped aside for ng-annotate-mcp is logged once, answered 204', async (t) => {
  const { dir, module } = await installedPlugin(t);
  const plugins = module.default({ binary: '/nonexistent/ng-annotate-for-this-test' });
  const { lines, logger } = recordingLogger();
  const vite = fakeVite(dir, plugins, logger);
  for (const p of plugins) p.configResolved?.(vite.config);
  byName(plugins, 'ng-annotate:daemon').configureServer(vite.server);
  assert.equal(vite.middlewares.length, 1);

  const http = createServer((req, res) => vite.middlewares[0](req, res, () => res.writeHead(404).end()));
  await new Promise((done) => http.listen(0, '127.0.0.1', done));
  t.after(() => new Promise((done) => { http.closeAllConnections(); http.close(done); }));
  const post = (body) => new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port: http.address().port, method: 'POST', path: '/__annotate/notice/foreign-overlay', timeout: 10000 },
      (res) => { res.resume(); res.on('end', () => done(res.statusCode)); });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', fail);
    req.end(body);
  });
  assert.equal(await post('http://localhost:5173/cart'), 204);
  assert.equal(await post('http://localhost:5173/cart'), 204);
  const told = lines.filter((l) => l.includes("http://localhost:5173/cart runs ng-annotate-mcp's overlay"));
  assert.equal(told.length, 1, lines.join('\n'));
});

test("ngAnnotateMcp(), ng-annotate-mcp's name for its plugin, is ours", async (t) => {
  const { module } = await installedPlugin(t);
  assert.equal(typeof module.ngAnnotateMcp, 'function');
  assert.deepEqual(module.ngAnnotateMcp({}).map((p) => p.name), module.default({}).map((p) => p.name));
});
