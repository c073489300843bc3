// `npm i @ng-annotate/cli` from a registry, as a user will: the tarballs of
// `make dist` (scripts/dist.sh) published to a throwaway verdaccio on
// 127.0.0.1 (tools/registry, installed by `make setup`; no uplinks, so nothing
// else is reachable through it), then installed into a fresh app. npm must
// pick the one platform package whose os/cpu fit this machine by itself, skip
// the other four, and `npx ng-annotate` must run the binary it brought.
// (Installing tarballs by path cannot show this: npm has no other versions
// to choose among.) Only os/cpu decide the choice, so a platform whose build
// is not here is packed with this machine's binary as its content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN } from './lib/cli.js';
import { PLATFORMS, platformPackage } from '../../packages/cli/lib/daemon.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../..');
const VERDACCIO = join(repo, 'tools/registry/node_modules/verdaccio/bin/verdaccio');
const HOST = `${process.platform}-${process.arch}`;
// The cross builds of this repository, when they were made (make build-linux-arm64, …).
const BUILT = { 'linux-arm64': 'build/linux-arm64/ng-annotate', 'win32-x64': 'build/windows-x64/ng-annotate.exe' };

function sh(command, args, options) {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 180000, ...options });
  if (r.error) throw new Error(`${command} ${args.join(' ')}: ${r.error.message}\n${r.stdout}\n${r.stderr}`);
  return r;
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer().once('error', fail).listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function untilUp(url, child, log, ms = 60000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}):\n${log()}`);
    try {
      const answer = await fetch(`${url}/-/ping`, { signal: AbortSignal.timeout(2000) });
      if (answer.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`verdaccio did not answer within ${ms} ms:\n${log()}`);
}

// Starts verdaccio on a free loopback port; stopped (bounded) after the test.
async function startRegistry(t, work) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = join(work, 'verdaccio.yaml');
  writeFileSync(config, [
    `storage: ${join(work, 'storage')}`,
    'auth: { htpasswd: { file: ' + join(work, 'htpasswd') + ' } }',
    'uplinks: {}',
    'packages:',
    "  '**': { access: $all, publish: $all }",
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n'));
  const child = spawn(process.execPath, [VERDACCIO, '--config', config, '--listen', `127.0.0.1:${port}`],
    { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((done) => child.once('exit', done));
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c) => { output = (output + c).slice(-8192); });
  child.stderr.setEncoding('utf8').on('data', (c) => { output = (output + c).slice(-8192); });
  t.after(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  });
  await untilUp(url, child, () => output);
  return url;
}

test('dist.sh packs the platforms daemon.js looks for', () => {
  const listed = readFileSync(join(repo, 'scripts/dist.sh'), 'utf8').match(/^platforms=\((.*)\)$/m)[1].split(' ');
  assert.deepEqual(listed, PLATFORMS);
  assert.equal(platformPackage('win32', 'x64'), '@ng-annotate/cli-win32-x64');
});

test('npm i @ng-annotate/cli from a registry installs only this machine\'s platform package, and npx runs it',
  { skip: !PLATFORMS.includes(HOST) && `no platform package for ${HOST}` }, async (t) => {
    assert.ok(existsSync(VERDACCIO), 'verdaccio is installed in tools/registry (make setup)');
    const work = realpathSync(mkdtempSync(join(tmpdir(), 'nga-registry-')));
    t.after(() => rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));

    const others = PLATFORMS.filter((p) => p !== HOST).map((p) => {
      const built = BUILT[p] && join(repo, BUILT[p]);
      return `${p}=${built && existsSync(built) ? built : realpathSync(BIN)}`;
    });
    const dist = join(work, 'dist');
    const packed = sh('bash', [join(repo, 'scripts/dist.sh'), realpathSync(BIN), dist, ...others]);
    assert.equal(packed.status, 0, packed.stderr);
    const tarballs = packed.stdout.trim().split('\n').filter((f) => f.includes('ng-annotate-cli-'));
    assert.equal(tarballs.length, 1 + PLATFORMS.length, packed.stdout);

    const url = await startRegistry(t, work);
    // npm's own settings for this registry only: a cache and npmrc of the test's.
    const npmrc = join(work, 'npmrc');
    writeFileSync(npmrc, `registry=${url}/\n//127.0.0.1:${new URL(url).port}/:_authToken=throwaway\n`);
    const env = {
      ...process.env, npm_config_userconfig: npmrc, npm_config_cache: join(work, 'cache'),
      npm_config_registry: `${url}/`, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false',
    };
    delete env.NG_ANNOTATE_BIN;
    for (const tarball of tarballs) {
      const published = sh('npm', ['publish', tarball, '--loglevel=error'], { env, cwd: work });
      assert.equal(published.status, 0, `npm publish ${tarball}:\n${published.stdout}\n${published.stderr}`);
    }

    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "version": "1.0.0", "private": true }\n');
    const installed = sh('npm', ['i', '-D', '@ng-annotate/cli', '--loglevel=error'], { env, cwd: app });
    assert.equal(installed.status, 0, `npm i:\n${installed.stdout}\n${installed.stderr}`);
    const scope = join(app, 'node_modules/@ng-annotate');
    for (const platform of PLATFORMS) {
      assert.equal(existsSync(join(scope, `cli-${platform}`)), platform === HOST,
        `${platformPackage(...platform.split('-'))} ${platform === HOST ? 'installed' : 'skipped'}`);
    }
    // The lockfile keeps all five, so it installs the right one on any machine.
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8'));
    for (const platform of PLATFORMS) {
      const entry = lock.packages[`node_modules/@ng-annotate/cli-${platform}`];
      assert.ok(entry?.optional, `${platform} is in the lockfile as optional`);
      assert.deepEqual([entry.os, entry.cpu], [[platform.split('-')[0]], [platform.split('-')[1]]]);
    }

    // npx ng-annotate: the shim finds the binary in the platform package (nothing on PATH but node and npm).
    const npxEnv = { ...env, PATH: `${dirname(process.execPath)}:${dirname(realpathSync(sh('sh', ['-c', 'command -v npx']).stdout.trim()))}` };
    const version = sh('npx', ['--no-install', 'ng-annotate', '--version'], { env: npxEnv, cwd: app });
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, /^ng-annotate \d+\.\d+\.\d+/);

    // Installed without optional dependencies: one message naming the platform and what to do.
    const omitted = sh('npm', ['i', '--omit=optional', '--loglevel=error'], { env, cwd: app });
    assert.equal(omitted.status, 0, omitted.stderr);
    assert.ok(!existsSync(join(scope, `cli-${HOST}`)), 'npm --omit=optional removed the platform package');
    // (The bin link itself: npx, finding the tree incomplete, stalls instead of running it.)
    const missing = sh(join(app, 'node_modules/.bin/ng-annotate'), ['--version'], { env: npxEnv, cwd: app, timeout: 30000 });
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
    assert.match(missing.stderr, new RegExp(`binary was not found: .*on ${HOST} that installs @ng-annotate/cli-${HOST}`));
  });
