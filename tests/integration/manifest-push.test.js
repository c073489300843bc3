// `ng-annotate manifest push` and source ids (issue 20): a preview build's
// manifest goes to `serve` over POST /__annotate/builds, and an annotation
// that names a build and a source id is stored with the file and line the
// manifest gives. Bad manifests get a clear error and the server keeps
// working; an id no manifest holds is said once on stderr and the
// annotation is kept as the page described it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, tempRoot } from './lib/cli.js';
import { startServe, Client, payload, rawRequest } from './lib/serve.js';

const MANIFEST = {
  version: 1,
  project: 'shop',
  build: 'b-2026.1',
  ids: { a1b2c3d4: 'src/components/PriceTag.tsx:7:5', ffee0011: 'src/App.tsx:12:9' },
};

// Writes a manifest where the build plugins put it (<root>/.ng-annotate/builds/<build>.json).
function writeBuild(root, manifest, name = manifest.build) {
  const dir = join(root, '.ng-annotate', 'builds');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  return file;
}

const push = (root, server, build, extra = []) =>
  run(['manifest', 'push', '--root', root, '--project', 'shop', '--build', build, '--server', server.url, ...extra]);

async function createOn(server, extra) {
  const client = await Client.connect(server.wsUrl);
  await client.handshake();
  client.send({ type: 'annotation:create', payload: payload('the price is wrong', extra) });
  const { annotation } = await client.next('annotation:created');
  await client.close();
  return annotation;
}

test('a pushed manifest turns a build\'s source id into file and line', async (t) => {
  const server = await startServe(t, { args: ['--project', MANIFEST.project] });
  const builds = tempRoot(t);
  writeBuild(builds, MANIFEST);
  const pushed = push(builds, server, MANIFEST.build);
  assert.equal(pushed.status, 0, pushed.stderr);
  assert.deepEqual(JSON.parse(pushed.stdout), { project: 'shop', build: 'b-2026.1', sources: 2 });

  const made = await createOn(server, { buildId: 'b-2026.1', sourceId: 'a1b2c3d4', componentFilePath: '' });
  assert.equal(made.sourceLocation, 'src/components/PriceTag.tsx:7:5');
  assert.equal(made.componentFilePath, 'src/components/PriceTag.tsx');

  // Pushed again (the same build id rebuilt): the new manifest replaces the old.
  writeBuild(builds, { ...MANIFEST, ids: { a1b2c3d4: 'src/components/PriceTag.tsx:9:3' } });
  assert.equal(push(builds, server, MANIFEST.build).status, 0);
  const again = await createOn(server, { buildId: 'b-2026.1', sourceId: 'a1b2c3d4' });
  assert.equal(again.sourceLocation, 'src/components/PriceTag.tsx:9:3');
  const gone = await createOn(server, { buildId: 'b-2026.1', sourceId: 'ffee0011', componentFilePath: 'x.ts' });
  assert.equal(gone.sourceLocation, undefined);
  assert.equal(gone.componentFilePath, 'x.ts', 'kept as the page sent it');
  assert.match(server.stderr(), /source id ffee0011 of build b-2026\.1, which no pushed manifest holds.*manifest push/);
});

test('bad manifests are refused with the reason, and the server keeps working', async (t) => {
  const server = await startServe(t, { args: ['--project', MANIFEST.project] });
  const builds = tempRoot(t);
  const cases = [
    ['not json', '{"version":1,', /not JSON/],
    ['wrong version', { ...MANIFEST, build: 'v2', version: 2 }, /"version" must be 1/],
    ['absolute path', { ...MANIFEST, build: 'abs', ids: { a1: '/home/me/src/App.tsx:1:1' } }, /source id "a1".*root-relative/],
    ['parent path', { ...MANIFEST, build: 'up', ids: { a1: 'src/../../etc/passwd:1:1' } }, /root-relative/],
    ['source text', { ...MANIFEST, build: 'text', ids: { a1: 'const price = 3;' } }, /root-relative "file:line:col"/],
    ['bad id', { ...MANIFEST, build: 'badid', ids: { 'a b': 'src/App.tsx:1:1' } }, /source id "a b"/],
  ];
  for (const [what, manifest, says] of cases) {
    const build = typeof manifest === 'string' ? 'broken' : manifest.build;
    writeBuild(builds, manifest, build);
    const r = push(builds, server, build);
    assert.equal(r.status, 1, `${what}: ${r.stdout}`);
    assert.match(r.stderr, says, what);
  }
  // The server itself refuses them too (a client other than ours).
  const direct = await fetch(`${server.url}/__annotate/builds`, { method: 'POST', body: '{"version":1,"build":"x","ids":{"k":"C:/a.ts:1:1"}}' });
  assert.equal(direct.status, 400);
  assert.match((await direct.json()).error, /root-relative/);
  // A page (an Origin header) never pushes.
  const page = await rawRequest(server.port, { method: 'POST', path: '/__annotate/builds', headers: { Origin: server.url } });
  assert.equal(page.status, 403);
  // A manifest for another build than --build, or no manifest at all.
  writeBuild(builds, MANIFEST, 'other');
  assert.match(push(builds, server, 'other').stderr, /is the manifest of build b-2026\.1, not other/);
  assert.match(push(builds, server, 'missing').stderr, /no build manifest at .*missing\.json.*NG_ANNOTATE_PREVIEW=1/);
  assert.match(run(['manifest', 'push', '--root', builds, '--project', 'other', '--build', 'b-2026.1', '--server', server.url,
    '--file', writeBuild(builds, MANIFEST)]).stderr, /built for project shop, not other/);
  // --token-env naming an unset variable is an error, not an unauthenticated push.
  assert.match(push(builds, server, MANIFEST.build, ['--token-env', 'NGA_TEST_NO_SUCH_TOKEN']).stderr, /NGA_TEST_NO_SUCH_TOKEN.*not set/);

  // Still serving: a good push and a resolved create.
  writeBuild(builds, MANIFEST);
  assert.equal(push(builds, server, MANIFEST.build).status, 0);
  const made = await createOn(server, { buildId: MANIFEST.build, sourceId: 'ffee0011' });
  assert.equal(made.sourceLocation, 'src/App.tsx:12:9');
});

test('push names an unreachable server and an https URL plainly', (t) => {
  const builds = tempRoot(t);
  writeBuild(builds, MANIFEST);
  const down = run(['manifest', 'push', '--root', builds, '--project', 'shop', '--build', MANIFEST.build, '--server', 'http://127.0.0.1:9']);
  assert.equal(down.status, 1);
  assert.match(down.stderr, /http:\/\/127\.0\.0\.1:9\/__annotate\/builds: connecting/);
  const tls = run(['manifest', 'push', '--root', builds, '--project', 'shop', '--build', MANIFEST.build, '--server', 'https://annotate.example.com']);
  assert.equal(tls.status, 1);
  assert.match(tls.stderr, /https is not spoken by this command yet/);
});
