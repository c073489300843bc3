// The CLI, end to end: exit codes, status output, export/import round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import { run, tempRoot, binaryPath, isBinaryAbsolute } from './lib/cli.js';

const SESSION = '11111111-1111-4111-8111-111111111111';
const ANNOTATION = '22222222-2222-4222-8222-222222222222';

function storeJson() {
  return {
    sessions: {
      [SESSION]: {
        id: SESSION, createdAt: '2026-01-02T03:04:05.678Z', lastSeenAt: '2026-01-02T03:05:00.000Z',
        active: false, url: 'http://localhost:4200/', yoloMode: true,
      },
    },
    annotations: {
      [ANNOTATION]: {
        id: ANNOTATION, sessionId: SESSION, createdAt: '2026-01-02T03:04:06.000Z',
        updatedAt: '2026-01-02T03:04:07.000Z', status: 'acknowledged',
        replies: [{ id: 'r1', createdAt: '2026-01-02T03:04:07.000Z', author: 'agent', message: 'on it' }],
        componentName: 'CartComponent', componentFilePath: 'src/app/cart.component.ts',
        templateFilePath: 'src/app/cart.component.html', selector: 'app-cart',
        inputs: { items: 0 }, domSnapshot: '<app-cart></app-cart>',
        componentTreePath: ['AppComponent'], annotationText: 'the total is wrong when the cart is empty',
        selectionText: 'Total: NaN',
      },
    },
    lastAgentHeartbeat: '2026-01-02T03:04:07.500Z',
  };
}

test('--version prints the version and exits 0', () => {
  const r = run(['--version']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^ng-annotate \d+\.\d+\.\d+/);
});

test('a usage error exits 2 with one line on stderr', () => {
  const r = run(['frobnicate']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /^ng-annotate: /);
  assert.equal(run([]).status, 2);
  assert.equal(run(['list', '--status', 'sideways', '--root', '/tmp']).status, 2);
});

test('an unusable root is an error, exit 1', () => {
  const r = run(['status', '--root', '/definitely/not/here']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a directory/);
});

test('import, status, list and export round trip', (t) => {
  const root = tempRoot(t);
  const file = join(root, 'in.json');
  writeFileSync(file, JSON.stringify(storeJson()));
  const imported = run(['import', file, '--root', root]);
  assert.equal(imported.status, 0, imported.stderr);
  assert.match(imported.stderr, /imported 1 sessions and 1 annotations/);

  const status = run(['status', '--root', root]);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, new RegExp(`session ${SESSION}`));
  assert.match(status.stdout, /acknowledged \(1\)/);
  assert.match(status.stdout, /CartComponent/);

  const list = run(['list', '--root', root, '--json']);
  assert.equal(list.status, 0);
  const listed = JSON.parse(list.stdout);
  assert.equal(listed.length, 1);
  assert.equal(listed[0].id, ANNOTATION);

  const out = join(root, 'out.json');
  assert.equal(run(['export', '--root', root, '--out', out]).status, 0);
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), storeJson());
});

test('--project keeps projects apart in one store file; another project\'s ids are refused', (t) => {
  const root = tempRoot(t);
  const file = join(root, 'in.json');
  writeFileSync(file, JSON.stringify(storeJson()));
  assert.equal(run(['import', file, '--root', root]).status, 0);
  // The default project is the root directory's name, and status says so.
  assert.match(run(['status', '--root', root]).stdout, new RegExp(`^project: ${basename(root)}$`, 'm'));
  const other = run(['status', '--root', root, '--project', 'other']);
  assert.match(other.stdout, /^project: other$/m);
  assert.doesNotMatch(other.stdout, new RegExp(SESSION));
  assert.deepEqual(JSON.parse(run(['list', '--root', root, '--project', 'other', '--json']).stdout), []);
  // The same ids into another project would take them over: refused, all of it.
  const taken = run(['import', file, '--root', root, '--project', 'other']);
  assert.equal(taken.status, 1);
  assert.match(taken.stderr, /belongs to another project in this store/);
  assert.equal(JSON.parse(run(['list', '--root', root, '--json']).stdout).length, 1);
});

test('the root comes from NG_ANNOTATE_PROJECT_ROOT when no flag is given', (t) => {
  const root = tempRoot(t);
  const file = join(root, 'in.json');
  writeFileSync(file, JSON.stringify(storeJson()));
  const env = { ...process.env, NG_ANNOTATE_PROJECT_ROOT: root };
  assert.equal(run(['import', file], { env }).status, 0);
  const r = run(['list'], { env });
  assert.match(r.stdout, new RegExp(ANNOTATION));
});

test('a bad import file changes nothing and says why', (t) => {
  const root = tempRoot(t);
  const bad = join(root, 'bad.json');
  writeFileSync(bad, '{"sessions": ');
  const r = run(['import', bad, '--root', root]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not valid JSON/);

  const doc = storeJson();
  doc.annotations[ANNOTATION].status = 'exploded';
  writeFileSync(bad, JSON.stringify(doc));
  const r2 = run(['import', bad, '--root', root]);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /nothing imported/);
  assert.match(run(['list', '--root', root]).stdout, /no annotations/);
});

test('init writes the MCP configs and .gitignore, merges, and a second run changes nothing', async (t) => {
  const root = tempRoot(t);
  mkdirSync(join(root, '.vscode'));
  writeFileSync(join(root, '.mcp.json'), JSON.stringify({ mcpServers: { other: { command: 'other-mcp' } } }));
  writeFileSync(join(root, '.gitignore'), 'node_modules/');

  const first = run(['init', '--root', root]);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /updated {2}\.mcp\.json/);
  assert.match(first.stdout, /created {2}\.vscode\/mcp\.json/);
  assert.match(first.stdout, /start-polling/);

  const claude = JSON.parse(readFileSync(join(root, '.mcp.json'), 'utf8'));
  assert.deepEqual(claude.mcpServers.other, { command: 'other-mcp' });
  assert.deepEqual(claude.mcpServers['ng-annotate'].args, ['mcp', '--root', binaryPath(root)]);
  assert.ok(isBinaryAbsolute(claude.mcpServers['ng-annotate'].command));
  const vscode = JSON.parse(readFileSync(join(root, '.vscode/mcp.json'), 'utf8'));
  assert.equal(vscode.servers['ng-annotate'].type, 'stdio');
  assert.ok(!existsSync(join(root, '.cursor')), 'no .cursor without --client cursor or all');
  assert.equal(readFileSync(join(root, '.gitignore'), 'utf8'),
    "node_modules/\n# ng-annotate's local store\n.ng-annotate/\n");

  const before = ['.mcp.json', '.vscode/mcp.json', '.gitignore'].map((f) => readFileSync(join(root, f), 'utf8'));
  const second = run(['init', '--root', root]);
  assert.equal(second.status, 0, second.stderr);
  assert.doesNotMatch(second.stdout, /created|updated/);
  const after = ['.mcp.json', '.vscode/mcp.json', '.gitignore'].map((f) => readFileSync(join(root, f), 'utf8'));
  assert.deepEqual(after, before);

  // The config it wrote starts a working MCP server.
  const entry = claude.mcpServers['ng-annotate'];
  const probe = run(entry.args, {
    input: `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n`,
  });
  assert.equal(JSON.parse(probe.stdout.split('\n')[0]).result.serverInfo.name, 'ng-annotate');
});

test('init refuses to clobber a config it cannot parse, and writes nothing', (t) => {
  const root = tempRoot(t);
  writeFileSync(join(root, '.mcp.json'), '{ "mcpServers": ');
  const r = run(['init', '--root', root, '--client', 'all']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\.mcp\.json is not a JSON object/);
  assert.equal(readFileSync(join(root, '.mcp.json'), 'utf8'), '{ "mcpServers": ');
  assert.ok(!existsSync(join(root, '.gitignore')));
  assert.ok(!existsSync(join(root, '.cursor')));
  assert.equal(run(['init', '--root', root, '--client', 'emacs']).status, 2);
});
