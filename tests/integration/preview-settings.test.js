// Preview mode's rules (issue 20; packages/cli/lib/preview.js), shared by the
// Vite plugin, the Angular build builder and the Next.js wrapper: on only
// with the option AND NG_ANNOTATE_PREVIEW=1, each half alone says why it is
// off; ids stable and unique; the manifest as `manifest push` reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  previewSettings, SourceIds, sourceIdOf, defaultBuildId, writeManifest, writePart, mergeParts, previewScriptTag,
} from '../../packages/cli/lib/preview.js';

const OPTION = { server: 'https://annotate.example.com/', project: 'shop' };

test('preview mode needs both the option and NG_ANNOTATE_PREVIEW=1', () => {
  const cases = [
    [undefined, {}, false, ''],
    [undefined, { NG_ANNOTATE_PREVIEW: '1' }, false, /no `preview: \{ server, project \}` option/],
    [OPTION, {}, false, /configured but off: set NG_ANNOTATE_PREVIEW=1/],
    [OPTION, { NG_ANNOTATE_PREVIEW: 'true' }, false, /set NG_ANNOTATE_PREVIEW=1/],
    [OPTION, { NG_ANNOTATE_PREVIEW: '1' }, true, ''],
  ];
  for (const [option, env, enabled, message] of cases) {
    const s = previewSettings(option, env);
    assert.equal(s.enabled, enabled, JSON.stringify([option, env]));
    if (message) assert.match(s.message, message); else assert.equal(s.message, '');
  }
  const on = previewSettings(OPTION, { NG_ANNOTATE_PREVIEW: '1', NG_ANNOTATE_BUILD_ID: 'ci-42' });
  assert.deepEqual(on, { enabled: true, server: 'https://annotate.example.com', project: 'shop', build: 'ci-42', message: '' });
  assert.equal(previewSettings({ ...OPTION, build: 'own' }, { NG_ANNOTATE_PREVIEW: '1', NG_ANNOTATE_BUILD_ID: 'ci' }).build, 'own');
  assert.throws(() => previewSettings({ server: 'annotate.example.com', project: 'shop' }, {}), /expected \{ server/);
  assert.throws(() => previewSettings({ ...OPTION, build: 'a b' }, { NG_ANNOTATE_PREVIEW: '1' }), /build id "a b"/);
});

test('source ids are short, stable, unique in a build; the build id follows the manifest', () => {
  const a = new SourceIds();
  const id = a.idFor('src/App.tsx:3:5');
  assert.match(id, /^[0-9a-f]{8}$/);
  assert.equal(id, sourceIdOf('src/App.tsx:3:5'));
  assert.equal(a.idFor('src/App.tsx:3:5'), id);
  assert.equal(new SourceIds().idFor('src/App.tsx:3:5'), id, 'the same in another build');
  // A clash of prefixes lengthens the newer one instead of sharing an id.
  a.locations.set(sourceIdOf('src/B.tsx:1:1'), 'elsewhere');
  assert.notEqual(a.idFor('src/B.tsx:1:1'), sourceIdOf('src/B.tsx:1:1'));
  const b = new SourceIds();
  b.idFor('src/App.tsx:3:5');
  const c = new SourceIds();
  c.idFor('src/App.tsx:3:5');
  assert.equal(defaultBuildId(b), defaultBuildId(c));
  c.idFor('src/App.tsx:4:5');
  assert.notEqual(defaultBuildId(b), defaultBuildId(c));
});

test('the manifest and the tag', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'nga-preview-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const ids = new SourceIds();
  const id = ids.idFor('src/App.tsx:3:5');
  const file = writeManifest(root, { project: 'shop', build: 'b1', ids });
  assert.equal(file, join(root, '.ng-annotate/builds/b1.json'));
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { version: 1, project: 'shop', build: 'b1', ids: { [id]: 'src/App.tsx:3:5' } });
  // Parts (one per module, any process) merge into the same manifest; a clash is refused.
  writePart(root, 'b2', 'src/A.tsx', { aaaa0001: 'src/A.tsx:1:1' });
  writePart(root, 'b2', 'src/B.tsx', { bbbb0002: 'src/B.tsx:2:2' });
  writePart(root, 'b2', 'src/B.tsx', { bbbb0002: 'src/B.tsx:2:2' });
  const merged = mergeParts(root, { project: 'shop', build: 'b2' });
  assert.equal(merged.count, 2);
  assert.deepEqual(JSON.parse(readFileSync(merged.file, 'utf8')).ids, { aaaa0001: 'src/A.tsx:1:1', bbbb0002: 'src/B.tsx:2:2' });
  writePart(root, 'b3', 'src/A.tsx', { cccc0003: 'src/A.tsx:1:1' });
  writePart(root, 'b3', 'src/C.tsx', { cccc0003: 'src/C.tsx:9:9' });
  const clash = mergeParts(root, { project: 'shop', build: 'b3' });
  assert.equal(clash.file, null);
  assert.match(clash.clashes[0], /cccc0003/);
  assert.equal(previewScriptTag({ server: 'https://a.example.com', project: 'p"<', build: 'b1' }),
    '<script src="https://a.example.com/__annotate/client.js" async data-nga-project="p&quot;&lt;" data-nga-build="b1"></script>');
});
