// The Angular demo served through @ng-annotate/angular:dev-server, with an app
// that still starts ng-annotate-mcp's overlay (issue 21, item 9): its
// provideNgAnnotate() appends <nga-overlay> to the body from an app
// initializer, during bootstrapApplication. ng-annotate-mcp cannot be
// installed here, so the copy's app.config.ts gets an initializer that does
// exactly that DOM step; the timing is the real Angular bootstrap's. Ours must
// stay off (no overlay, no session) and ng serve's log must name the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage, run } from './lib/browser.js';
import { DEMO, copyApp, nodeFor, ngServe } from '../integration/lib/ng.js';

const cleanups = [];
let dir;
let server;

const INITIALIZER = `
    provideAppInitializer(() => {
      // What ng-annotate-mcp's provideNgAnnotate() does to the DOM at start-up.
      document.body.appendChild(document.createElement('nga-overlay'));
    }),`;

before(async () => {
  dir = copyApp(DEMO, (fn) => cleanups.push(fn));
  const config = join(dir, 'src/app/app.config.ts');
  const text = readFileSync(config, 'utf8')
    .replace("import { ApplicationConfig,", 'import { ApplicationConfig, provideAppInitializer,')
    .replace('providers: [', `providers: [${INITIALIZER}`);
  assert.match(text, /provideAppInitializer\(\(\) =>/);
  writeFileSync(config, text);
  server = await ngServe(dir, { node: nodeFor(DEMO) });
});

after(async () => {
  await server?.stop();
  for (const fn of cleanups.reverse()) fn();
});

test("ng-annotate-mcp's overlay started by the app: ours stays off, no session, ng serve's log names the page", async (t) => {
  const browser = await launch(t);
  const page = await newPage(browser);
  const lines = [];
  page.on('console', (m) => lines.push(m.text()));
  await page.goto(`${server.url}/`);
  await page.locator('app-promo-card .promo-title').waitFor({ timeout: 60000 });
  await page.waitForFunction(() => window.__ngAnnotate && window.__ngAnnotate.state.aside, null, { timeout: 30000 });
  assert.equal(await page.locator('nga-overlay').count(), 1);
  assert.equal(await page.locator('ng-annotate-overlay').count(), 0);
  await server.waitFor(/runs ng-annotate-mcp's overlay/, 'the notice in the ng serve log', 30000);
  assert.equal(server.output().match(/runs ng-annotate-mcp's overlay/g).length, 1, server.output());
  assert.ok(lines.some((l) => l.includes("ng-annotate-mcp's overlay")), lines.join('\n'));
  assert.equal(await page.evaluate(() => window.__ngAnnotate.connected), false);
  // The daemon the builder started made the store; ours never opened a session in it.
  const exported = run(['export', '--root', dir]);
  assert.equal(exported.status, 0, exported.stderr);
  assert.deepEqual(Object.keys(JSON.parse(exported.stdout).sessions), [], 'our overlay opened a session');
});
