// `ng build` of the demo (whose serve target is our builder): the output has no
// trace of ng-annotate, and no daemon is started for a build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, copyApp, nodeFor, ng } from './lib/ng.js';

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

for (const configuration of ['production', 'development']) {
  test(`ng build --configuration ${configuration}: no trace of ng-annotate in the output`, async (t) => {
    const dir = copyApp(DEMO, (fn) => t.after(fn));
    const out = join(dir, 'out');
    const r = await ng(dir, ['build', '--configuration', configuration, '--output-path', out], { node: nodeFor(DEMO) });
    assert.equal(r.status, 0, r.output);
    const files = filesUnder(out);
    assert.ok(files.some((f) => f.endsWith('index.html')), files.join('\n'));
    assert.ok(files.some((f) => /main[-.\w]*\.js$/.test(f)), files.join('\n'));
    for (const file of files) {
      const text = readFileSync(file, 'latin1');
      const hit = /__annotate|ng-annotate|ngAnnotate/i.exec(text);
      assert.equal(hit, null, hit && `${file} mentions ng-annotate: …${text.slice(Math.max(0, hit.index - 80), hit.index + 80)}…`);
    }
    // The app itself is in there (so the check above looked at real output).
    assert.ok(files.some((f) => f.endsWith('.js') && readFileSync(f, 'utf8').includes('Sumer sale')));
    assert.equal(existsSync(join(dir, '.ng-annotate')), false, 'a build started the daemon');
  });
}
