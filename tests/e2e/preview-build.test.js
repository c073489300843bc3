// The overlay on a deployed build (issue 20), end to end: a fixture app of
// examples/ built in preview mode (NG_ANNOTATE_PREVIEW=1, its own build
// script), served by a plain static server, the overlay loaded from a
// `serve` team server on another port (the static origin allowed with
// --allow-origin under --strict-origins), the manifest pushed with
// `ng-annotate manifest push`; then in headless Chromium: what the page
// fetches before the shortcut (client.js and nothing else: no socket, no
// capture.js, no element), a create after Alt+Shift+A, an agent over /mcp
// (the official MCP SDK client) that gets file:line through the manifest,
// and its statuses live on the badge.
//
// All of it against a team server (`serve --team`; the React row on SQLite,
// the Angular row on a throwaway PostgreSQL cluster): tokens made by
// `ng-annotate token create|link`, the agent's Bearer on /mcp and on the push,
// the reviewer signed in through the sign-in link in the same browser before
// the preview page opens (the HttpOnly cookie rides to the other port: same
// site). A browser that did not sign in gets a 401 and creates nothing; a
// reviewer's token cannot push a manifest (403).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, normalize } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { launch, run, withDeadline, waitBadgeColour } from './lib/browser.js';
import { REPO } from './lib/vite-app.js';
import { tempRoot } from '../integration/lib/cli.js';
import { createToken, bearer } from '../integration/lib/team.js';
import { startServe } from '../integration/lib/serve.js';
import { call } from '../integration/lib/mcp.js';
import { DEMO, copyApp, nodeFor } from '../integration/lib/ng.js';
import { useCluster } from '../integration/lib/pg.js';

const WAIT = { timeout: 20000 };
const COLORS = { pending: '#3b82f6', acknowledged: '#f59e0b', resolved: '#22c55e' };

const REVIEWER = 'Pat Reviewer';
const cluster = useCluster({ lazy: true });

// Where a row's team server keeps its data: {root (for startServe; undefined:
// its own), serve (its store arguments), where (the same for `ng-annotate token`)}.
async function teamStore(t, row) {
  if (row.store === 'postgres') {
    const where = ['--store', await cluster.ready(), '--project', row.project];
    return { root: undefined, serve: where, where };
  }
  const root = tempRoot(t);
  return { root, serve: ['--project', row.project], where: ['--root', root, '--project', row.project] };
}

// Team mode's credentials for a team server on the store `where` names, made
// by the real CLI: an agent token (the MCP client's Authorization and
// `manifest push --token-env`) and a reviewer's sign-in link, opened in the
// browser context.
function teamAuth(where, server) {
  const agent = createToken(where, 'agent', 'preview-agent');
  const link = run(['token', 'link', ...where, '--server', server.url, '--name', REVIEWER]);
  assert.equal(link.status, 0, link.stderr);
  const signInUrl = link.stdout.trim();
  const reviewer = signInUrl.split('#token=')[1];
  return {
    agentHeaders: () => bearer(agent),
    // `manifest push` as the agent (or, to check the refusal, as the reviewer).
    push: (args, as = 'agent') => run([...args, '--token-env', 'NGA_PUSH_TOKEN'],
      { env: { ...process.env, NGA_PUSH_TOKEN: as === 'agent' ? agent : reviewer } }),
    async signIn(context) {
      const page = await context.newPage();
      await page.goto(signInUrl, WAIT);
      await withDeadline(page.waitForSelector('body[data-signed-in]'), 'the sign-in page to sign in', 10000);
      await page.close();
      const cookies = (await context.cookies(server.url)).filter((c) => c.name === 'nga_token');
      assert.equal(cookies.length, 1, 'signed in: the nga_token cookie');
    },
  };
}

// The fixture apps, each built by its own build script: `prepare` gives the
// app's root (where the manifest goes) and `build` builds it into `out`,
// returning {result, site} (site: the directory a static host serves).
const APPS = [
  {
    app: 'react-demo',
    project: 'react-demo',
    store: 'sqlite',
    prepare: () => join(REPO, 'examples/react-demo'),
    build(root, out, env) {
      const result = spawnSync('npm', ['run', 'build', '--', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'],
        { cwd: root, env, encoding: 'utf8', timeout: 300000 });
      return { result, site: out };
    },
    target: '.price-amount',
    file: 'src/components/PriceTag.tsx',
    fileField: 'componentFilePath',
  },
  {
    // A copy of the demo whose build target is our builder with `preview`
    // (what a user writes in angular.json), and whose node_modules has this
    // repository's packages.
    app: 'angular-demo',
    project: 'angular-demo',
    store: 'postgres',
    prepare(t) {
      const root = copyApp(DEMO, (fn) => t.after(fn));
      rmSync(join(root, 'node_modules'));
      mkdirSync(join(root, 'node_modules/@ng-annotate'), { recursive: true });
      for (const name of readdirSync(join(DEMO, 'node_modules'))) {
        if (name !== '@ng-annotate') symlinkSync(join(DEMO, 'node_modules', name), join(root, 'node_modules', name));
      }
      for (const pkg of ['angular', 'cli']) symlinkSync(join(REPO, 'packages', pkg), join(root, 'node_modules/@ng-annotate', pkg));
      const workspace = JSON.parse(readFileSync(join(root, 'angular.json'), 'utf8'));
      const build = workspace.projects['angular-demo'].architect.build;
      build.builder = '@ng-annotate/angular:application';
      build.options.preview = { server: 'http://127.0.0.1:4750', project: 'angular-demo' };
      writeFileSync(join(root, 'angular.json'), JSON.stringify(workspace, null, 2));
      return root;
    },
    build(root, out, env) {
      // The team server's URL goes in as the user's CI would: through the option.
      const workspace = JSON.parse(readFileSync(join(root, 'angular.json'), 'utf8'));
      workspace.projects['angular-demo'].architect.build.options.preview.server = env.NG_ANNOTATE_SERVER;
      writeFileSync(join(root, 'angular.json'), JSON.stringify(workspace, null, 2));
      const result = spawnSync(nodeFor(DEMO), ['node_modules/@angular/cli/bin/ng.js', 'build', '--output-path', out],
        { cwd: root, env: { ...env, NG_CLI_ANALYTICS: 'false' }, encoding: 'utf8', timeout: 600000 });
      return { result, site: join(out, 'browser') };
    },
    target: '.promo-title',
    file: 'src/app/promo-card/promo-card.html',
    fileField: 'templateFilePath',
  },
];

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

// A plain static file server for `served.dir` (unknown paths: index.html, as a SPA host does).
async function staticServer(t, served) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(served.dir, path);
    if (!existsSync(file) || path === '/' || !extname(file)) file = join(served.dir, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }));
  return `http://127.0.0.1:${server.address().port}`;
}

// Where a "file:line:col" points in the app's source: the element's `<`.
function charAt(appRoot, location) {
  const [, file, line, col] = /^(.+):(\d+):(\d+)$/.exec(location);
  return readFileSync(join(appRoot, file), 'utf8').split('\n')[Number(line) - 1][Number(col) - 1];
}

for (const row of APPS) {
  test(`${row.app}: a preview build, the overlay from the team server (${row.store}), an agent with file:line`, async (t) => {
    const appRoot = row.prepare(t);
    const out = mkdtempSync(join(tmpdir(), 'nga-preview-'));
    t.after(() => rmSync(out, { recursive: true, force: true }));
    const served = { dir: out };
    const site = await staticServer(t, served);
    const store = await teamStore(t, row);
    const team = await startServe(t, { root: store.root, args: ['--team', ...store.serve, '--strict-origins', '--allow-origin', site], ms: 10000 });
    assert.equal(team.team, true, 'the listening line says team mode');
    assert.match(team.store, row.store === 'postgres' ? /^postgres(ql)?:\/\// : /store\.db/, `on ${row.store}`);
    const auth = teamAuth(store.where, team);

    // The build, as CI would run it for a preview deployment.
    const { result: built, site: siteDir } = row.build(appRoot, out, { ...process.env, NG_ANNOTATE_PREVIEW: '1', NG_ANNOTATE_SERVER: team.url, NO_COLOR: '1' });
    assert.equal(built.status, 0, `build failed:\n${built.stdout}\n${built.stderr}`);
    served.dir = siteDir;
    const html = readFileSync(join(siteDir, 'index.html'), 'utf8');
    const tag = /<script src="([^"]+)" async(?:="")? data-nga-project="([^"]+)" data-nga-build="([^"]+)"><\/script>/.exec(html);
    assert.ok(tag, `one script tag for the team server's client.js in:\n${html}`);
    assert.equal(tag[1], `${team.url}/__annotate/client.js`);
    assert.equal(tag[2], row.project);
    const buildId = tag[3];
    const manifestFile = join(appRoot, '.ng-annotate/builds', `${buildId}.json`);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    t.after(() => rmSync(manifestFile, { force: true }));
    assert.equal(manifest.build, buildId);
    // Ids, not paths, in what is served; the manifest beside it, not in it.
    const paths = spawnSync('grep', ['-rl', '-e', 'data-nga-src', '-e', 'data-ng-source-location', '-e', row.file, siteDir], { encoding: 'utf8' });
    assert.equal(paths.stdout, '', 'no source path in the served files');
    assert.equal(spawnSync('grep', ['-rlq', 'data-nga-id', siteDir]).status, 0, 'source ids in the bundle');

    const push = ['manifest', 'push', '--root', appRoot, '--project', row.project, '--build', buildId, '--server', team.url];
    const byReviewer = auth.push(push, 'reviewer');
    assert.notEqual(byReviewer.status, 0, 'a reviewer token cannot push a manifest');
    assert.match(byReviewer.stderr, /answered 403: .*agent or admin tokens/);
    const pushed = auth.push(push);
    assert.equal(pushed.status, 0, pushed.stderr);

    // A browser that did not sign in: client.js is refused (401), no overlay, no socket.
    const browser = await launch(t);
    const stranger = await (await browser.newContext()).newPage();
    const refused = stranger.waitForResponse(`${team.url}/__annotate/client.js`, WAIT);
    await stranger.goto(site + '/', { waitUntil: 'load', ...WAIT });
    assert.equal((await refused).status(), 401);
    assert.equal(await stranger.evaluate(() => typeof window.__ngAnnotate), 'undefined');
    assert.equal(await stranger.evaluate((u) => new Promise((resolve) => {
      const ws = new WebSocket(u);
      ws.onopen = () => { ws.close(); resolve('open'); };
      ws.onerror = () => resolve('refused');
    }), team.wsUrl), 'refused', 'no socket without sign-in');

    // The reviewer signs in through the link, in the browser that opens the preview.
    const context = await browser.newContext();
    await auth.signIn(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
    const requests = [];
    const sockets = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(site + '/', { waitUntil: 'load', ...WAIT });
    await page.locator(row.target).first().waitFor(WAIT);
    await page.waitForFunction(() => !!window.__ngAnnotate, null, WAIT);
    // A window for anything the overlay might still fetch on its own (it must not).
    await page.waitForTimeout(1500);
    const added = requests.filter((u) => !u.startsWith(site + '/'));
    console.log(`${row.app}: ${requests.length} page requests before the shortcut, ${added.length} from ng-annotate: ${added.join(' ')}`);
    assert.deepEqual(added, [`${team.url}/__annotate/client.js`], 'one request added: client.js');
    assert.deepEqual(sockets, [], 'no socket before the shortcut');
    assert.equal(await page.locator('ng-annotate-overlay').count(), 0, 'no overlay element before the shortcut');

    // The agent, remote over /mcp, blocks for work first.
    const agent = new Client({ name: 'preview-agent', version: '1.0.0' });
    await withDeadline(agent.connect(new StreamableHTTPClientTransport(new URL(`${team.url}/mcp`),
      { requestInit: { headers: auth.agentHeaders() } })), 'the MCP handshake', 10000);
    t.after(() => agent.close());
    const watching = call(agent, 'watch_annotations', { timeoutMs: 60000 });
    await agent.ping();

    // The reviewer: shortcut, click, type, send.
    const target = page.locator(row.target).first();
    const sourceId = await target.evaluate((el) => el.closest('[data-nga-id]').getAttribute('data-nga-id'));
    await page.keyboard.press('Alt+Shift+KeyA');
    await page.waitForFunction(() => window.__ngAnnotate.connected && window.__ngAnnotate.state.inspecting, null, WAIT);
    assert.equal(sockets.length, 1, 'one socket once the shortcut is pressed');
    assert.ok(sockets[0].startsWith(team.url.replace('http:', 'ws:') + '/__annotate'), `to the team server: ${sockets[0]}`);
    await target.hover(WAIT);
    await target.click(WAIT);
    const area = page.locator('ng-annotate-overlay .panel[data-mode="annotate"] textarea');
    await area.waitFor({ state: 'visible', ...WAIT });
    await area.fill('this price is wrong');
    await area.press('Control+Enter');

    const { value: work } = await withDeadline(watching, 'watch_annotations to wake', 20000);
    assert.equal(work.status, 'annotations');
    // The reviewer's create and nothing else (the stranger created nothing).
    assert.equal(work.annotations.length, 1, JSON.stringify(work));
    const [annotation] = work.annotations;
    assert.equal(annotation.annotationText, 'this price is wrong');
    assert.equal(annotation.buildId, buildId);
    assert.equal(annotation.sourceId, sourceId);
    assert.equal(annotation.sourceLocation, manifest.ids[sourceId]);
    assert.match(annotation.sourceLocation, new RegExp(`^${row.file.replace(/\./g, '\\.')}:\\d+:\\d+$`));
    assert.equal(annotation[row.fileField], row.file);
    assert.equal(charAt(appRoot, annotation.sourceLocation), '<', `${annotation.sourceLocation} is the element's tag`);
    // Who said it: the name on the reviewer's sign-in link.
    const got = await call(agent, 'get_annotation', { id: annotation.id });
    assert.equal(got.value.authorName, REVIEWER, JSON.stringify(got.value).slice(0, 2000));

    // Every status the agent sets shows on the reviewer's badge, live.
    await waitBadgeColour(page, annotation.id, COLORS.pending, 20000);
    await call(agent, 'acknowledge', { id: annotation.id, message: 'on it' });
    await waitBadgeColour(page, annotation.id, COLORS.acknowledged, 20000);
    await call(agent, 'resolve', { id: annotation.id, summary: 'fixed the rounding' });
    await waitBadgeColour(page, annotation.id, COLORS.resolved, 20000);
  });
}
