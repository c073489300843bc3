// The component manifest (SPEC §7) end to end: `ng-annotate manifest`, the
// GET /__annotate/manifest route, manifest:update on connect, and the
// broadcast when a component file appears while a browser is connected, and
// the `_Name` aliases that ng-annotate-mcp's overlay (protocol revision 1)
// needs while ours (revision 2) and the other readers get the plain map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, startServe, rawRequest } from './lib/serve.js';
import { run, tempRoot } from './lib/cli.js';

// Generous: the CI machine has two busy cores.
const WATCH_DEADLINE_MS = 15000;

function write(root, relative, text) {
  const file = join(root, relative);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

// A project with two components, one with a template file, plus files the
// scan must leave out.
function twoComponentProject(t) {
  const root = tempRoot(t);
  write(root, 'src/app/app.component.ts', `import { Component } from '@angular/core';
// @Component({ selector: 'in-a-comment' }) class Commented {}
@Component({
  selector: 'app-root',
  templateUrl: './app.component.html',
  styles: ['.x { color: red }'],
})
export class AppComponent {}
`);
  write(root, 'src/app/app.component.html', '<app-button></app-button>');
  write(root, 'src/shared/button.component.ts', `@Component({
  selector: "app-button",
  template: \`<button>{{ label }}</button>\`,
})
export default class ButtonComponent {}
`);
  write(root, 'src/app/app.component.spec.ts', "@Component({ selector: 'x' }) class SpecOnly {}");
  write(root, 'node_modules/lib/lib.component.ts', "@Component({ selector: 'lib' }) export class Lib {}");
  return root;
}

const EXPECTED = {
  AppComponent: {
    component: 'src/app/app.component.ts',
    template: 'src/app/app.component.html',
    selector: 'app-root',
  },
  ButtonComponent: { component: 'src/shared/button.component.ts', selector: 'app-button' },
};

// What a revision-1 socket (ng-annotate-mcp's client) is sent: every class
// also under `_Name`, the spelling of `constructor.name` in Angular 21/22
// dev builds, after the real names.
function withAliases(manifest) {
  const out = { ...manifest };
  for (const [name, entry] of Object.entries(manifest)) out[`_${name}`] ??= entry;
  return out;
}

test('`ng-annotate manifest --root` prints the manifest as JSON', (t) => {
  const root = twoComponentProject(t);
  const result = run(['manifest', '--root', root]);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), EXPECTED);
});

test('`ng-annotate manifest` fails clearly on a missing root', (t) => {
  const result = run(['manifest', '--root', join(tempRoot(t), 'nope')]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /not a directory/);
});

test('serve answers GET /__annotate/manifest and sends it on connect', async (t) => {
  const root = twoComponentProject(t);
  const server = await startServe(t, { root });
  const res = await rawRequest(server.port, { path: '/__annotate/manifest' });
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /application\/json/);
  assert.deepEqual(JSON.parse(res.body), EXPECTED);

  const client = await Client.connect(`${server.wsUrl}?proto=2`);
  const { second } = await client.handshake();
  assert.deepEqual(second, { type: 'manifest:update', manifest: EXPECTED });
  await client.close();
});

// Regression (issue 21, item 9): ng-annotate-mcp's overlay resolves a
// component as `manifest[instance.constructor.name]`, which Angular 21/22 dev
// builds spell `_AppComponent`; without the alias it shows
// `(unresolved: _AppComponent)`.
test('an ng-annotate-mcp client (no proto) resolves `_Name` through manifest:update', async (t) => {
  const root = twoComponentProject(t);
  const server = await startServe(t, { root });
  const legacy = await Client.connect(server.wsUrl);
  const { second } = await legacy.handshake();
  assert.equal(second.type, 'manifest:update');
  assert.deepEqual(second.manifest._AppComponent, EXPECTED.AppComponent);
  assert.deepEqual(second.manifest._ButtonComponent, EXPECTED.ButtonComponent);
  assert.deepEqual(second.manifest, withAliases(EXPECTED));
  assert.deepEqual(Object.keys(second.manifest).slice(0, 2), Object.keys(EXPECTED), 'real names first');
  // The other readers keep SPEC §7's plain map.
  const res = await rawRequest(server.port, { path: '/__annotate/manifest' });
  assert.deepEqual(JSON.parse(res.body), EXPECTED);
  assert.deepEqual(JSON.parse(run(['manifest', '--root', root]).stdout), EXPECTED);
  await legacy.close();
});

test('a component added while connected is broadcast in manifest:update', async (t) => {
  const root = twoComponentProject(t);
  const server = await startServe(t, { root });
  const client = await Client.connect(`${server.wsUrl}?proto=2`);
  const other = await Client.connect(server.wsUrl); // revision 1: with the aliases
  await client.handshake();
  await other.handshake();

  // Written under a temporary name, then renamed, as editors do; and in a
  // directory that did not exist when serve started.
  write(root, 'src/feature/.card.component.ts.tmp', `@Component({
  selector: 'app-card',
  templateUrl: '../shared/card.html',
})
export class CardComponent {}
`);
  renameSync(join(root, 'src/feature/.card.component.ts.tmp'), join(root, 'src/feature/card.component.ts'));

  const hasCard = (m) => m.type === 'manifest:update' && 'CardComponent' in m.manifest;
  const expected = {
    ...EXPECTED,
    CardComponent: {
      component: 'src/feature/card.component.ts',
      template: 'src/shared/card.html',
      selector: 'app-card',
    },
  };
  const update1 = await client.nextMatching(hasCard, 'manifest:update with CardComponent', WATCH_DEADLINE_MS);
  assert.deepEqual(update1.manifest, expected);
  const legacyUpdate = await other.nextMatching(hasCard, 'manifest:update with CardComponent', WATCH_DEADLINE_MS);
  assert.deepEqual(legacyUpdate.manifest, withAliases(expected));
  const res = await rawRequest(server.port, { path: '/__annotate/manifest' });
  assert.deepEqual(JSON.parse(res.body), expected);

  // A deleted component leaves the manifest the same way.
  writeFileSync(join(root, 'src/shared/button.component.ts'), 'export const nothing = 1;\n');
  const noButton = (m) => m.type === 'manifest:update' && !('ButtonComponent' in m.manifest);
  const update = await client.nextMatching(noButton, 'manifest:update without ButtonComponent', WATCH_DEADLINE_MS);
  assert.ok('CardComponent' in update.manifest);
  await client.close();
  await other.close();
});
