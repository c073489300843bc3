// Real agents read what `ng-annotate init` wrote: Claude Code's and Codex's
// own CLIs (tools/agents, installed by `make setup`) list the server. No
// account is needed to list servers; every run has HOME in a temp dir, CI=true,
// no stdin and a timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync, existsSync, symlinkSync, chmodSync, cpSync, copyFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, run, tempRoot } from './lib/cli.js';
import { startServe } from './lib/serve.js';
import { createToken } from './lib/team.js';

const AGENTS = resolve(fileURLToPath(import.meta.url), '../../../tools/agents/node_modules/.bin');
const CLAUDE = join(AGENTS, 'claude');
const CODEX = join(AGENTS, 'codex');
const PACKAGE = resolve(fileURLToPath(import.meta.url), '../../../packages/cli');

// An agent CLI run the way CI runs it: a clean environment, HOME in `home`.
function agent(binary, args, { cwd, home, env = {}, expectStatus = 0 }) {
  assert.ok(existsSync(binary), `${binary} is missing: run \`make setup\` (it installs tools/agents)`);
  const r = spawnSync(binary, args, {
    cwd,
    encoding: 'utf8',
    timeout: 60000,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: home, CI: 'true', TERM: 'dumb', LANG: 'C.UTF-8', ...env },
  });
  if (r.error) throw r.error;
  if (expectStatus !== null) {
    assert.equal(r.status, expectStatus, `${binary} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return r;
}

function initProject(t, args) {
  const project = tempRoot(t);
  const home = join(project, '.home');
  mkdirSync(home);
  // Claude Code reads .claude/settings.local.json only in a git work tree
  // (or a workspace whose trust dialog was accepted): a project's approvals
  // are the developer's own, untracked file.
  const git = spawnSync('git', ['init', '-q', project], { encoding: 'utf8', timeout: 30000 });
  assert.equal(git.status, 0, git.stderr);
  return { project, home, init: () => {
    const r = run(['init', '--root', project, ...args], { env: { ...process.env, HOME: home, CODEX_HOME: '' } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  } };
}

function approve(project) {
  mkdirSync(join(project, '.claude'), { recursive: true });
  writeFileSync(join(project, '.claude/settings.local.json'), JSON.stringify({ enabledMcpjsonServers: ['ng-annotate'] }));
}

test('claude mcp list: the server init wrote is pending until approved, then ✔ Connected', (t) => {
  const { project, home, init } = initProject(t, ['--client', 'claude']);
  init();
  const pending = agent(CLAUDE, ['mcp', 'list'], { cwd: project, home });
  assert.match(pending.stdout, /ng-annotate: .* - ⏸ Pending approval/);
  approve(project);
  const started = performance.now();
  const listed = agent(CLAUDE, ['mcp', 'list'], { cwd: project, home });
  console.log(`claude mcp list took ${(performance.now() - started).toFixed(0)} ms`);
  assert.match(listed.stdout, new RegExp(`ng-annotate: ${BIN} mcp --root ${project} - ✔ Connected`));
});

test('claude mcp list: the committable npx form connects through the installed @ng-annotate/cli', (t) => {
  const { project, home, init } = initProject(t, ['--client', 'claude']);
  // packages/cli installed as npm installs a tarball (a copy, bin linked),
  // with the binary under test as the one it ships.
  const pkg = join(project, 'node_modules/@ng-annotate/cli');
  cpSync(PACKAGE, pkg, { recursive: true, filter: (src) => !/\/(node_modules|native)(\/|$)/.test(src) });
  mkdirSync(join(pkg, 'native'));
  copyFileSync(BIN, join(pkg, 'native/ng-annotate'));
  chmodSync(join(pkg, 'native/ng-annotate'), 0o755);
  mkdirSync(join(project, 'node_modules/.bin'));
  const bin = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).bin['ng-annotate'];
  symlinkSync(join('../@ng-annotate/cli', bin), join(project, 'node_modules/.bin/ng-annotate'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', devDependencies: { '@ng-annotate/cli': 'file:x' } }));
  const out = init();
  assert.match(out, /run `npx ng-annotate mcp` with a relative root/);
  approve(project);
  const listed = agent(CLAUDE, ['mcp', 'list'], { cwd: project, home });
  assert.match(listed.stdout, /ng-annotate: npx ng-annotate mcp --root \. - ✔ Connected/);
});

test('codex mcp list: lists the server init wrote into the user-level config', (t) => {
  const { project, home, init } = initProject(t, ['--client', 'codex']);
  mkdirSync(join(home, '.codex'));
  writeFileSync(join(home, '.codex/config.toml'), '[mcp_servers.other]\ncommand = "other-mcp"\n');
  init();
  const listed = agent(CODEX, ['mcp', 'list', '--json'], { cwd: project, home });
  const servers = JSON.parse(listed.stdout);
  const ours = servers.find((s) => s.name === 'ng-annotate');
  assert.ok(ours, `not listed: ${listed.stdout}`);
  assert.equal(ours.enabled, true);
  assert.equal(ours.transport.type, 'stdio');
  assert.equal(ours.transport.command, BIN);
  assert.deepEqual(ours.transport.args, ['mcp', '--root', project]);
  assert.ok(servers.find((s) => s.name === 'other'), 'the other server is still there');
  const table = agent(CODEX, ['mcp', 'list'], { cwd: project, home });
  assert.match(table.stdout, /^ng-annotate +\S+ +mcp --root \S+ .*enabled/m);
});

// init --team (issue 20): Claude Code reads the remote entry, expands
// ${NG_ANNOTATE_TOKEN} from its own environment into the Bearer header and
// connects to a team server; with a reviewer's token it cannot. The file
// holds no token.
test('claude mcp list: init --team connects with the token from NG_ANNOTATE_TOKEN', async (t) => {
  const { project, home } = initProject(t, []);
  const serverRoot = tempRoot(t);
  const server = await startServe(t, { root: serverRoot, args: ['--team'] });
  const agentToken = createToken(['--root', serverRoot], 'agent', 'claude-on-a-laptop');
  const reviewerToken = createToken(['--root', serverRoot], 'reviewer', 'pm');
  const r = run(['init', '--root', project, '--team', server.url, '--client', 'claude'],
    { env: { ...process.env, HOME: home } });
  assert.equal(r.status, 0, r.stderr);
  const written = readFileSync(join(project, '.mcp.json'), 'utf8');
  assert.deepEqual(JSON.parse(written).mcpServers['ng-annotate'], {
    type: 'http', url: `${server.url}/mcp`, headers: { Authorization: 'Bearer ${NG_ANNOTATE_TOKEN}' },
  });
  assert.ok(!written.includes('nga_'), 'no token in the committed file');
  approve(project);
  const listed = agent(CLAUDE, ['mcp', 'list'], { cwd: project, home, env: { NG_ANNOTATE_TOKEN: agentToken } });
  assert.match(listed.stdout, /ng-annotate: .*\/mcp \(HTTP\) - ✔ Connected/);
  const refused = agent(CLAUDE, ['mcp', 'list'],
    { cwd: project, home, env: { NG_ANNOTATE_TOKEN: reviewerToken }, expectStatus: null });
  assert.doesNotMatch(refused.stdout, /ng-annotate: .* - ✔ Connected/);
});
