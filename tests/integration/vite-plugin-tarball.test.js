// Installing ng-annotate as a user would: the tarballs of `make dist` (made
// here by the same scripts/dist.sh, from the binary under test: the cli, its
// linux-x64 platform package and the plugin) and vite (from the npm cache)
// into a fresh app outside the repository, then the app's own `vite` dev
// server, with no NG_ANNOTATE_BIN and nothing on PATH: the binary comes from
// the platform package. (cli-registry-install.test.js checks that npm
// picks that package by itself from a registry.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN } from './lib/cli.js';
import { Client, payload, rawRequest, withDeadline } from './lib/serve.js';
import { FIXTURES, VITE_MS, alive, daemonFile, healthVia, until } from './lib/vite.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../..');

function sh(command, args, options) {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 180000, ...options });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `${command} ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test('the dist tarballs install into a fresh Vite app; overlay and WebSocket work through vite dev', async (t) => {
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'nga-tarball-')));
  t.after(() => rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
  const dist = join(work, 'dist');
  const packed = sh('bash', [join(repo, 'scripts/dist.sh'), realpathSync(BIN), dist]).trim().split('\n');
  const cli = packed.find((f) => /ng-annotate-cli-\d/.test(f)) ?? '';
  const native = packed.find((f) => f.includes('ng-annotate-cli-linux-x64-')) ?? '';
  const plugin = packed.find((f) => f.includes('ng-annotate-vite-plugin-')) ?? '';
  assert.match(cli, /ng-annotate-cli-0\.1\.0\.tgz$/);
  assert.match(native, /ng-annotate-cli-linux-x64-0\.1\.0\.tgz$/);
  assert.match(plugin, /ng-annotate-vite-plugin-0\.1\.0\.tgz$/);

  // The vite8 fixture app, as create-vite made it, without our packages.
  const app = join(work, 'app');
  const fixture = FIXTURES.vite8.dir;
  for (const name of readdirSync(fixture)) {
    if (['node_modules', 'package-lock.json', '.npmrc', 'dist'].includes(name) || name.startsWith('.nga-tmp-')) continue;
    cpSync(join(fixture, name), join(app, name), { recursive: true });
  }
  const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
  delete pkg.devDependencies['@ng-annotate/cli'];
  delete pkg.devDependencies['@ng-annotate/vite-plugin'];
  const viteVersion = JSON.parse(readFileSync(join(fixture, 'node_modules/vite/package.json'), 'utf8')).version;
  pkg.devDependencies.vite = viteVersion;
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  sh('npm', ['i', '-D', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', cli, native, plugin], { cwd: app });

  // npx ng-annotate: the shim runs the packaged binary.
  const env = { ...process.env, PATH: dirname(process.execPath), CI: 'true', NO_COLOR: '1' };
  delete env.NG_ANNOTATE_BIN;
  const version = sh(join(app, 'node_modules/.bin/ng-annotate'), ['--version'], { cwd: app, env });
  assert.match(version, /^ng-annotate \d+\.\d+\.\d+/);

  // The app's own `vite` (its CLI), on a port of its choosing.
  const vite = spawn(process.execPath, [join(app, 'node_modules/vite/bin/vite.js'), '--host', '127.0.0.1', '--port', '0'],
    { cwd: app, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  vite.stdout.setEncoding('utf8').on('data', (c) => { output += c; });
  vite.stderr.setEncoding('utf8').on('data', (c) => { output += c; });
  const exited = new Promise((done) => vite.once('exit', done));
  t.after(() => {
    if (vite.exitCode === null && vite.signalCode === null) vite.kill('SIGKILL');
    const pid = daemonFile(app)?.pid;
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
  });
  const port = Number((await until(() => output.match(/http:\/\/127\.0\.0\.1:(\d+)\//), `vite to print its URL:\n${output}`))[1]);

  const page = await rawRequest(port, { path: '/' });
  assert.match(page.body, /<script src="\/__annotate\/client\.js"><\/script>/);
  const client = await rawRequest(port, { path: '/__annotate/client.js' });
  assert.equal(client.status, 200);
  const health = await until(() => healthVia(port), 'the daemon behind vite');
  assert.equal(health.root, app);
  const info = daemonFile(app);
  assert.equal(readFileSync(`/proc/${info.pid}/cmdline`, 'utf8').split('\0')[0],
    join(app, 'node_modules/@ng-annotate/cli-linux-x64/bin/ng-annotate'), 'the daemon is the packaged binary');

  const origin = `http://127.0.0.1:${port}`;
  const ws = await Client.connect(`ws://127.0.0.1:${port}/__annotate`, { headers: { Origin: origin, Referer: `${origin}/` } });
  assert.equal((await ws.handshake()).first.type, 'session:created');
  ws.send({ type: 'annotation:create', payload: payload('from a tarball install') });
  assert.equal((await ws.next('annotation:created', 15000)).annotation.annotationText, 'from a tarball install');

  // Vite's SIGTERM handler closes the server, which stops the daemon.
  vite.kill('SIGTERM');
  await withDeadline(exited, 'vite to exit on SIGTERM', VITE_MS);
  await until(() => !alive(info.pid), 'the daemon to stop with vite');
  await ws.waitClose(5000);
});
