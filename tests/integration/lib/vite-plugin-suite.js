// The Vite plugin's suite (issue 7), run once per Vite major by
// vite-plugin-vite8.test.js and vite-plugin-vite5.test.js against the
// create-vite fixture apps with the plugin installed from packages/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { connect as connectHttp2 } from 'node:http2';
import { createServer } from 'node:net';
import WebSocket from 'ws';
import { join, relative } from 'node:path';
import { Client, payload, rawRequest, withDeadline } from './serve.js';
import { call, connect } from './mcp.js';
import { connectHttp } from './mcp-http.js';
import {
  FIXTURES, alive, cpuBurner, daemonFile, daemonProcesses, deadPid, healthVia, hmrSocket, killDaemonsAfter, project,
  startPreview, startVite, until, viteBuild, waitGone,
} from './vite.js';

const WS_MS = 15000;

function filesUnder(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const file = join(d, name);
      if (statSync(file).isDirectory()) walk(file);
      else out.set(relative(dir, file), readFileSync(file));
    }
  };
  walk(dir);
  return out;
}

// A port that nothing listens on (bound, then released).
async function closedPort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

export function pluginSuite(fixture) {
  const { css, main } = FIXTURES[fixture];

  describe(`${fixture}: one dev server`, () => {
    // Resources of this describe live until its end.
    const cleanups = [];
    const t = { after: (fn) => cleanups.push(fn) };
    after(async () => { for (const fn of cleanups.reverse()) await fn(); });
    let root;
    let vite;
    before(async () => {
      root = realpathSync(project(t, fixture));
      killDaemonsAfter(t, root);
      vite = await startVite(t, fixture, root);
      t.after(() => vite.close().catch(() => {})); // gracefully first; killed anyway after
    });

    test('the page has the overlay tag once; client.js and health come through the Vite port', async () => {
      assert.equal(vite.version.split('.')[0], fixture.slice(4));
      const page = await rawRequest(vite.port, { path: '/' });
      assert.equal(page.status, 200);
      assert.match(page.body, /<script src="\/__annotate\/client\.js"><\/script>\s*<\/head>/);
      assert.equal(page.body.match(/__annotate\/client\.js/g).length, 1);
      assert.ok(page.body.includes('/@vite/client'), 'Vite still injects its client');

      const client = await rawRequest(vite.port, { path: '/__annotate/client.js' });
      assert.equal(client.status, 200);
      assert.match(client.headers['content-type'], /javascript/);
      assert.match(client.body, /__annotate/);
      assert.match(client.headers.etag, /^".+"$/);
      const again = await rawRequest(vite.port, { path: '/__annotate/client.js', headers: { 'If-None-Match': client.headers.etag } });
      assert.equal(again.status, 304);

      const health = await healthVia(vite.port);
      assert.equal(health.root, root);
      const info = daemonFile(root);
      assert.ok(info && alive(info.pid), 'daemon.json names a live daemon');
      assert.equal((await rawRequest(vite.port, { path: `/${main}` })).status, 200);
    });

    test('browser protocol over ws://<vite>/__annotate, with a push from `ng-annotate mcp`', async (t2) => {
      const origin = vite.url;
      const ws = await Client.connect(`ws://127.0.0.1:${vite.port}/__annotate`, { headers: { Origin: origin, Referer: `${origin}/` } });
      t2.after(() => ws.close());
      const { first, second, third } = await ws.handshake();
      assert.equal(first.type, 'session:created');
      assert.equal(first.session.url, `${origin}/`);
      assert.equal(second.type, 'manifest:update');
      assert.equal(third.type, 'annotations:sync');

      ws.send({ type: 'annotation:create', payload: payload('make the counter green') });
      const created = await ws.next('annotation:created', WS_MS);
      assert.equal(created.annotation.annotationText, 'make the counter green');

      const agent = await connect(t2, root);
      const { value } = await call(agent, 'acknowledge', { id: created.annotation.id });
      assert.equal(value.status ?? value.annotation?.status, 'acknowledged');
      const pushed = await ws.nextMatching((m) => m.type === 'annotation:updated' && m.annotation.id === created.annotation.id,
        'the acknowledge push', WS_MS);
      assert.equal(pushed.annotation.status, 'acknowledged');
    });

    test("Vite's watcher leaves the daemon's store (.ng-annotate/) alone", async () => {
      await until(() => healthVia(vite.port), 'the daemon');
      writeFileSync(join(root, '.ng-annotate', 'probe.txt'), 'written after the store');
      // A directory made after the probe: once the watcher holds it, it has
      // had its chance to take up .ng-annotate/ too.
      mkdirSync(join(root, 'probe-dir'));
      writeFileSync(join(root, 'probe-dir', 'probe.txt'), 'x');
      const dirs = await until(async () => {
        const now = await vite.watched();
        return now.includes(join(root, 'probe-dir')) && now;
      }, 'Vite to watch probe-dir/');
      assert.deepEqual(dirs.filter((d) => d.includes('.ng-annotate')), []);
    });

    test("the daemon refuses pages of other origins, also on loopback (strict origins)", async () => {
      for (const origin of ['http://localhost:3999', 'https://evil.example']) {
        await assert.rejects(Client.connect(`ws://127.0.0.1:${vite.port}/__annotate`, { headers: { Origin: origin } }),
          (error) => error.statusCode === 403, origin);
      }
      await assert.rejects(Client.connect(`ws://127.0.0.1:${vite.port}/__annotate`, { headers: { Host: 'evil.example' } }),
        (error) => error.statusCode === 403);
      // The localhost name of the same dev server is one of its origins.
      const ws = await Client.connect(`ws://127.0.0.1:${vite.port}/__annotate`, { headers: { Origin: `http://localhost:${vite.port}` } });
      assert.equal((await ws.handshake()).first.type, 'session:created');
      await ws.close();
    });

    test("Vite's HMR socket still connects, and a CSS edit is hot-updated", async (t2) => {
      const hmr = await hmrSocket(t2, vite.port);
      assert.equal((await hmr.next((m) => m.type === 'connected', 'connected')).type, 'connected');
      // What the page would load: the module graph then holds the CSS module.
      assert.equal((await rawRequest(vite.port, { path: `/${main}` })).status, 200);
      assert.equal((await rawRequest(vite.port, { path: `/${css}` })).status, 200);
      appendFileSync(join(root, css), '\nbody { outline: 1px solid red; }\n');
      const update = await hmr.next((m) => m.type === 'update', 'an HMR update');
      assert.ok(update.updates.some((u) => u.path === `/${css}`), JSON.stringify(update));
    });
  });

  test(`${fixture}: vite build output is byte-identical with and without the plugin`, async (t) => {
    const root = realpathSync(project(t, fixture));
    const withPlugin = join(root, 'out-with');
    const without = join(root, 'out-without');
    await viteBuild(t, fixture, root, withPlugin, { plugin: true });
    await viteBuild(t, fixture, root, without, { plugin: false });
    const a = filesUnder(withPlugin);
    const b = filesUnder(without);
    assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
    assert.ok(a.size >= 2, `built files: ${[...a.keys()]}`);
    for (const [name, bytes] of a) assert.ok(bytes.equals(b.get(name)), `${name} differs`);
    assert.doesNotMatch(a.get('index.html').toString(), /__annotate/);
    assert.equal(existsSync(join(root, '.ng-annotate')), false, 'no daemon was started by the build');

    // vite preview (the plugin is in the config) serves the built page as built.
    const preview = await startPreview(t, fixture, root, withPlugin);
    const page = await rawRequest(preview.port, { path: '/' });
    assert.equal(page.status, 200);
    assert.equal(page.body, a.get('index.html').toString());
    await preview.close();
    assert.equal(existsSync(join(root, '.ng-annotate')), false, 'no daemon was started by preview');
  });

  test(`${fixture}: a second Vite on the root reuses the daemon; only the one that started it stops it`, async (t) => {
    const root = realpathSync(project(t, fixture));
    const note = killDaemonsAfter(t, root);
    const a = await startVite(t, fixture, root);
    await until(() => healthVia(a.port), 'the daemon behind A');
    note();
    const state = daemonFile(root);
    const b = await startVite(t, fixture, root);
    await until(() => healthVia(b.port), 'the daemon behind B');
    assert.deepEqual(daemonFile(root), state, 'B did not start another daemon');
    assert.match(b.output(), /using the daemon already serving/);
    // Start-up lines come as Vite's own do there, without a timestamp: the
    // first timestamp costs a start ~40 ms of CPU (issue 22).
    assert.match(a.output(), /^\[ng-annotate\] started the daemon for /m, a.output());
    assert.match(b.output(), /^\[ng-annotate\] using the daemon already serving /m, b.output());

    // B's page origin was registered with the reused daemon.
    const viaB = await Client.connect(`ws://127.0.0.1:${b.port}/__annotate`, { headers: { Origin: b.url } });
    t.after(() => viaB.close());
    assert.equal((await viaB.handshake()).first.type, 'session:created');
    assert.equal((await healthVia(a.port)).socketsConnected, 1);

    assert.equal((await b.close()).daemonAlive, true, 'closing the borrower leaves the daemon running');
    assert.equal((await healthVia(a.port)).root, root);

    // The other way round: the owner goes, the borrower starts a daemon of its own.
    const c = await startVite(t, fixture, root);
    await until(() => healthVia(c.port), 'the daemon behind C');
    await a.close();
    assert.equal(alive(state.pid), false, 'closing the owner stops the daemon');
    const own = await until(() => healthVia(c.port), 'a daemon of C\'s own');
    assert.equal(own.root, root);
    note();
    const mine = daemonFile(root);
    assert.ok(mine && mine.pid !== state.pid && alive(mine.pid));
    await c.close();
    assert.equal(alive(mine.pid), false);
    assert.equal(daemonFile(root), null);
  });

  test(`${fixture}: closing Vite while its daemon is still starting leaves no daemon behind`, async (t) => {
    const root = realpathSync(project(t, fixture));
    const note = killDaemonsAfter(t, root);
    const burner = await cpuBurner(t, 2);
    let vite;
    try {
      vite = await startVite(t, fixture, root);
      await vite.close(20000);
    } finally {
      burner.stop();
    }
    note();
    await until(() => daemonProcesses(root).length === 0, 'no daemon process for the root', 5000);
    assert.doesNotMatch(vite.output(), /\[ng-annotate\].*(error|without the overlay)/i, 'a close is not reported as a failure');
    assert.equal(daemonFile(root), null);
  });

  test(`${fixture}: ngAnnotate({ mcp: true }) serves MCP over HTTP at <vite>/mcp`, async (t) => {
    const root = realpathSync(project(t, fixture));
    writeFileSync(join(root, 'vite.config.js'),
      "import ngAnnotate from '@ng-annotate/vite-plugin';\nexport default { plugins: [ngAnnotate({ mcp: true })] };\n");
    const note = killDaemonsAfter(t, root);
    const vite = await startVite(t, fixture, root);
    await until(() => healthVia(vite.port), 'the daemon');
    note();
    const { client } = await connectHttp(t, vite.port);
    const { tools } = await client.listTools();
    assert.ok(tools.some((tool) => tool.name === 'get_all_pending'));
    await client.close();
    await vite.close();
  });

  // Issue 21, item 9: a page that runs ng-annotate-mcp's overlay is left to it.
  test(`${fixture}: ngAnnotate({ overlay: false }) leaves pages alone, says so, and still forwards /__annotate`, async (t) => {
    const root = realpathSync(project(t, fixture));
    writeFileSync(join(root, 'vite.config.js'),
      "import ngAnnotate from '@ng-annotate/vite-plugin';\nexport default { plugins: [ngAnnotate({ overlay: false })] };\n");
    const note = killDaemonsAfter(t, root);
    const vite = await startVite(t, fixture, root);
    await until(() => healthVia(vite.port), 'the daemon');
    note();
    const page = await rawRequest(vite.port, { path: '/' });
    assert.equal(page.status, 200);
    assert.ok(page.body.includes('/@vite/client'), page.body);
    assert.doesNotMatch(page.body, /__annotate/);
    assert.match(vite.output(), /\[ng-annotate\] overlay: false: pages get no ng-annotate overlay/);
    const socket = await Client.connect(`ws://127.0.0.1:${vite.port}/__annotate`);
    assert.equal((await socket.handshake()).first.type, 'session:created');
    await socket.close();
    await vite.close();
  });

  test(`${fixture}: an https dev server (HTTP/2): overlay over h2, the WebSocket with its https origin`, async (t) => {
    const root = realpathSync(project(t, fixture));
    const certs = join(root, 'certs');
    mkdirSync(certs);
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(certs, 'key.pem'),
      '-out', join(certs, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { encoding: 'utf8', timeout: 30000 });
    assert.equal(made.status, 0, made.stderr);
    const https = { key: readFileSync(join(certs, 'key.pem'), 'utf8'), cert: readFileSync(join(certs, 'cert.pem'), 'utf8') };
    const note = killDaemonsAfter(t, root);
    const vite = await startVite(t, fixture, root, { server: { https } });
    const origin = `https://127.0.0.1:${vite.port}`;

    // What a browser does with an https Vite: HTTP/2.
    const session = connectHttp2(origin, { rejectUnauthorized: false });
    session.on('error', () => {});
    t.after(() => session.destroy());
    const h2get = (path) => withDeadline(new Promise((done, fail) => {
      const req = session.request({ ':path': path });
      let status;
      let body = '';
      req.on('response', (headers) => { status = headers[':status']; });
      req.setEncoding('utf8').on('data', (chunk) => { body += chunk; });
      req.on('end', () => done({ status, body }));
      req.on('error', fail);
      req.end();
    }), `h2 GET ${path}`);
    assert.match((await h2get('/')).body, /<script src="\/__annotate\/client\.js"><\/script>/);
    const client = await until(async () => { const r = await h2get('/__annotate/client.js'); return r.status === 200 && r; },
      'client.js over h2');
    assert.match(client.body, /__annotate/);
    note();

    const ws = new WebSocket(`wss://127.0.0.1:${vite.port}/__annotate`, { rejectUnauthorized: false, headers: { Origin: origin } });
    t.after(() => ws.terminate());
    const first = await withDeadline(new Promise((done, fail) => {
      ws.once('message', (data) => done(JSON.parse(data.toString())));
      ws.once('error', fail);
      ws.once('unexpected-response', (_req, res) => fail(new Error(`upgrade refused: ${res.statusCode}`)));
    }), 'the first frame over wss');
    assert.equal(first.type, 'session:created');
    ws.terminate();
    // The plain-http origin on that port is not one of this server's.
    const refused = new WebSocket(`wss://127.0.0.1:${vite.port}/__annotate`,
      { rejectUnauthorized: false, headers: { Origin: `http://127.0.0.1:${vite.port}` } });
    t.after(() => refused.terminate());
    const status = await withDeadline(new Promise((done) => {
      refused.once('unexpected-response', (_req, res) => done(res.statusCode));
      refused.once('open', () => done('open'));
      refused.once('error', () => {});
    }), 'the http-origin upgrade to be answered');
    assert.equal(status, 403);
    await vite.close();
  });

  test(`${fixture}: editing vite.config.js restarts Vite; the overlay's daemon comes back with it`, async (t) => {
    const root = realpathSync(project(t, fixture));
    const note = killDaemonsAfter(t, root);
    const vite = await startVite(t, fixture, root);
    await until(() => healthVia(vite.port), 'the daemon');
    note();
    const first = daemonFile(root).pid;
    appendFileSync(join(root, 'vite.config.js'), '// edited\n');
    await vite.waitOutput(/server restarted/);
    const health = await until(async () => {
      const info = daemonFile(root);
      return info && info.pid !== first && alive(info.pid) && healthVia(vite.port);
    }, 'a daemon for the restarted server');
    assert.equal(health.root, root);
    note();
    assert.equal(alive(first), false, 'the old server stopped its daemon');
    const ws = await Client.connect(`ws://127.0.0.1:${vite.port}/__annotate`, { headers: { Origin: vite.url } });
    t.after(() => ws.close());
    assert.equal((await ws.handshake()).first.type, 'session:created');
    await vite.close();
  });

  // server.host names the page origin: 127.0.0.2 (still loopback, so the test
  // stays off the network) is no loopback *name* to the daemon, so its pages
  // pass only because the plugin registered that origin.
  test(`${fixture}: the server.host origin is allowed, other ports on it are not`, async (t) => {
    const root = realpathSync(project(t, fixture));
    const note = killDaemonsAfter(t, root);
    const vite = await startVite(t, fixture, root, { server: { host: '127.0.0.2' } });
    const origin = `http://127.0.0.2:${vite.port}`;
    const { request } = await import('node:http');
    const health = await until(() => new Promise((done) => {
      request({ host: '127.0.0.2', port: vite.port, path: '/__annotate/health' }, (res) => { res.resume(); done(res.statusCode === 200); })
        .on('error', () => done(false)).end();
    }), 'the daemon through 127.0.0.2');
    assert.ok(health);
    note();
    const ws = await Client.connect(`ws://127.0.0.2:${vite.port}/__annotate`, { headers: { Origin: origin } });
    t.after(() => ws.close());
    assert.equal((await ws.handshake()).first.type, 'session:created');
    await assert.rejects(Client.connect(`ws://127.0.0.2:${vite.port}/__annotate`, { headers: { Origin: 'http://127.0.0.2:1' } }),
      (e) => e.statusCode === 403);
    await vite.close();
  });

  test(`${fixture}: a stale daemon.json (dead pid, or a live pid without a daemon) is recovered from`, async (t) => {
    const root = realpathSync(project(t, fixture));
    const note = killDaemonsAfter(t, root);
    const port = await closedPort();
    for (const stale of [{ pid: deadPid(), port }, { pid: process.pid, port }]) {
      mkdirSync(join(root, '.ng-annotate'), { recursive: true });
      writeFileSync(join(root, '.ng-annotate', 'daemon.json'), JSON.stringify({ ...stale, url: `http://127.0.0.1:${port}`, root }));
      const vite = await startVite(t, fixture, root);
      const health = await until(() => healthVia(vite.port), 'a fresh daemon');
      assert.equal(health.root, root);
      note();
      const info = daemonFile(root);
      assert.notEqual(info.pid, stale.pid);
      assert.ok(alive(info.pid));
      await vite.close();
      assert.equal(alive(info.pid), false);
    }
  });

  test(`${fixture}: a killed daemon is replaced and the page's socket reconnects`, async (t) => {
    const root = realpathSync(project(t, fixture));
    const note = killDaemonsAfter(t, root);
    const vite = await startVite(t, fixture, root);
    const headers = { Origin: vite.url, Referer: `${vite.url}/` };
    const ws = await Client.connect(`ws://127.0.0.1:${vite.port}/__annotate`, { headers });
    const { session } = await ws.handshake();
    ws.send({ type: 'annotation:create', payload: payload('survive a crash') });
    const { annotation } = await ws.next('annotation:created', WS_MS);
    note();
    const first = daemonFile(root).pid;
    process.kill(first, 'SIGKILL');
    await ws.waitClose(WS_MS);
    await until(() => { const info = daemonFile(root); return info && info.pid !== first && alive(info.pid); }, 'a new daemon');
    note();
    assert.match(vite.output(), /the daemon exited .*starting a new one/);

    const again = await until(() => Client.connect(`ws://127.0.0.1:${vite.port}/__annotate?sessionId=${session.id}`, { headers })
      .catch(() => null), 'the page to reconnect');
    t.after(() => again.close());
    const hello = await again.handshake();
    assert.equal(hello.first.session.id, session.id);
    const sync = hello.third.type === 'annotations:sync' ? hello.third : await again.next('annotations:sync', WS_MS);
    assert.ok(sync.annotations.some((a) => a.id === annotation.id), 'the stored annotation is still there');
    await vite.close();
  });

  test(`${fixture}: server.close() stops the daemon within a bound, also with both cores busy (3 runs)`, async (t) => {
    for (let run = 0; run < 3; run += 1) {
      const root = realpathSync(project(t, fixture));
      const note = killDaemonsAfter(t, root);
      const vite = await startVite(t, fixture, root);
      const ws = await Client.connect(`ws://127.0.0.1:${vite.port}/__annotate`, { headers: { Origin: vite.url } });
      await ws.handshake();
      const hmr = await hmrSocket(t, vite.port);
      note();
      const { pid } = daemonFile(root);
      const burner = await cpuBurner(t, 2);
      try {
        const closed = await vite.close(20000); // a hang fails here; the child is killed after the test
        console.log(`# ${fixture} run ${run + 1}: server.close() took ${closed.ms} ms under load`);
        assert.equal(closed.daemonPid, pid);
        assert.equal(closed.daemonAlive, false, 'server.close() itself stopped the daemon');
      } finally {
        burner.stop();
      }
      await waitGone(pid, 'the daemon to exit', 5000);
      assert.equal(daemonFile(root), null);
      await ws.waitClose(5000);
      hmr.ws.terminate();
    }
  });

  test(`${fixture}: without a binary the dev server runs on and says how to install it`, async (t) => {
    const root = realpathSync(project(t, fixture));
    // NG_ANNOTATE_BIN naming nothing, then no hint at all (no env, empty PATH).
    const cases = [
      { env: { NG_ANNOTATE_BIN: join(root, 'no-such-binary') }, message: /NG_ANNOTATE_BIN does not name an executable file/ },
      { env: { NG_ANNOTATE_BIN: undefined, PATH: '/nonexistent' }, message: /ng-annotate binary was not found: install it with `npm i -D @ng-annotate\/cli`/ },
    ];
    for (const { env, message } of cases) {
      const packaged = join(FIXTURES[fixture].dir, 'node_modules/@ng-annotate/cli/native/ng-annotate');
      if (!env.NG_ANNOTATE_BIN && existsSync(packaged)) continue; // that install carries the binary
      const vite = await startVite(t, fixture, root, { env });
      await vite.waitOutput(message);
      assert.match(vite.output(), /The dev server runs on without the overlay/);
      assert.equal(vite.output().match(/\[ng-annotate\]/g).length, 1, `one message:\n${vite.output()}`);
      const page = await rawRequest(vite.port, { path: '/' });
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.body, /__annotate/);
      const health = await rawRequest(vite.port, { path: '/__annotate/health' });
      assert.equal(health.status, 503);
      assert.match(health.body, /not running/);
      assert.equal((await rawRequest(vite.port, { path: `/${main}` })).status, 200);
      await vite.close();
      assert.equal(daemonFile(root), null);
    }
  });
}
