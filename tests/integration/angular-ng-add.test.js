// The path a user takes: `make dist`'s tarballs installed into a fresh copy of
// the generated Angular app (its original angular.json), `ng add
// @ng-annotate/angular`, then `ng serve` with no NG_ANNOTATE_BIN: the binary
// in @ng-annotate/cli-linux-x64 (installed beside @ng-annotate/cli) is found,
// the overlay is served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { BIN } from './lib/cli.js';
import { REPO, DEMO, NODE22, ngServe, get, ng } from './lib/ng.js';

test('npm i the tarballs, ng add @ng-annotate/angular, ng serve: switched, MCP config written, overlay served', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'nga-ngadd-'));
  let server = null;
  // ng serve (and its daemon) stop before their directory goes.
  t.after(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });
  const dist = join(work, 'dist');
  execFileSync('bash', [join(REPO, 'scripts/dist.sh'), BIN, dist], { stdio: 'pipe', timeout: 120000 });
  const tgz = (prefix) => join(dist, readdirSync(dist).find((f) => f.startsWith(prefix)));

  // The app's committed files, with angular.json as `ng new` wrote it.
  const app = join(work, 'app');
  const files = execFileSync('git', ['ls-files'], { cwd: DEMO, encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const f of files) {
    mkdirSync(dirname(join(app, f)), { recursive: true });
    writeFileSync(join(app, f), readFileSync(join(DEMO, f)));
  }
  const original = readFileSync(join(REPO, 'tests/fixtures/angular-workspaces/ng-new-22.angular.json'), 'utf8');
  writeFileSync(join(app, 'angular.json'), original);

  const env = { ...process.env, PATH: `${dirname(NODE22)}:${process.env.PATH}`, NG_CLI_ANALYTICS: 'false', NO_COLOR: '1' };
  delete env.NG_ANNOTATE_BIN;
  const npm = (args) => {
    const r = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, env, encoding: 'utf8', timeout: 300000 });
    assert.equal(r.status, 0, `npm ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  };
  npm(['ci']);
  npm(['install', '-D', tgz('ng-annotate-cli-0'), tgz('ng-annotate-cli-linux-x64-'), tgz('ng-annotate-angular-')]);

  const added = await ng(app, ['add', '@ng-annotate/angular', '--skip-confirmation'], { node: NODE22, env: { NG_ANNOTATE_BIN: '' } });
  assert.equal(added.status, 0, added.output);
  assert.match(added.output, /now serves with @ng-annotate\/angular:dev-server/);
  const workspace = JSON.parse(readFileSync(join(app, 'angular.json'), 'utf8'));
  assert.equal(workspace.projects['angular-demo'].architect.serve.builder, '@ng-annotate/angular:dev-server');
  assert.deepEqual(workspace.projects['angular-demo'].architect.serve.configurations, JSON.parse(original).projects['angular-demo'].architect.serve.configurations);
  const mcp = JSON.parse(readFileSync(join(app, '.mcp.json'), 'utf8'));
  assert.deepEqual(mcp.mcpServers['ng-annotate'], { command: 'npx', args: ['ng-annotate', 'mcp', '--root', '.'] });

  // ng add again: nothing changes.
  const before = readFileSync(join(app, 'angular.json'), 'utf8');
  const again = await ng(app, ['add', '@ng-annotate/angular', '--skip-confirmation'], { node: NODE22, env: { NG_ANNOTATE_BIN: '' } });
  assert.equal(again.status, 0, again.output);
  assert.equal(readFileSync(join(app, 'angular.json'), 'utf8'), before);

  server = await ngServe(app, { node: NODE22, env: { NG_ANNOTATE_BIN: '' } });
  assert.match((await get(`${server.url}/`)).body, /\/__annotate\/client\.js/);
  const health = await get(`${server.url}/__annotate/health`);
  assert.equal(health.status, 200, `${health.body}\n${server.output()}`);
  assert.equal(JSON.parse(health.body).root, app);
});
