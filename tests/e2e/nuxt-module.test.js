// What the Nuxt module (`modules: ['@ng-annotate/vite-plugin/nuxt']` in
// examples/nuxt-demo) must never be silent about, on a real `nuxt dev`: no
// binary, and an HTML page that did not come from Nuxt's renderer (so it has
// no overlay). The app's field truth is its row in tests/e2e/apps.test.js.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startNuxtApp } from './lib/nuxt-app.js';
import { REPO } from './lib/vite-app.js';
import { rawRequest } from '../integration/lib/serve.js';

const count = (text, re) => (text.match(new RegExp(re, 'g')) ?? []).length;
const portOf = (url) => Number(new URL(url).port);
// Nuxt renders a page on its first request (it compiles it then): on two
// busy cores that takes more than serve's tests' 5 s.
const PAGE_MS = 60000;

describe('nuxt-demo: what the module says in the dev log', () => {
  it('without a binary, nuxt dev serves the app and says once how to install it', async (t) => {
    const app = await startNuxtApp('nuxt-demo', { env: { NG_ANNOTATE_BIN: '/nonexistent/ng-annotate' } });
    t.after(() => app.stop());
    const page = await rawRequest(portOf(app.url), { path: '/', ms: PAGE_MS });
    assert.equal(page.status, 200);
    assert.match(page.body, /Corner shop/);
    const client = await rawRequest(portOf(app.url), { path: '/__annotate/client.js', ms: PAGE_MS });
    assert.equal(client.status, 503);
    assert.match(client.body, /NG_ANNOTATE_BIN does not name an executable file/);
    assert.equal(count(app.log(), /\[ng-annotate\] NG_ANNOTATE_BIN does not name an executable file.*Nuxt runs on without the overlay/.source), 1, app.log());
  });

  it('an HTML page from public/ (not rendered by Nuxt) is named once in the log, with the fix', async (t) => {
    const file = join(REPO, 'examples/nuxt-demo/public/nga-plain.html');
    writeFileSync(file, '<!doctype html><html><head><title>plain</title></head><body>plain</body></html>\n');
    t.after(() => rmSync(file, { force: true }));
    const app = await startNuxtApp('nuxt-demo');
    t.after(() => app.stop());
    const headers = { Accept: 'text/html', 'Sec-Fetch-Dest': 'document' };
    const rendered = await rawRequest(portOf(app.url), { path: '/', headers, ms: PAGE_MS });
    assert.match(rendered.body, /<script src="\/__annotate\/client\.js"><\/script>/);
    for (let i = 0; i < 2; i++) {
      const plain = await rawRequest(portOf(app.url), { path: '/nga-plain.html', headers, ms: PAGE_MS });
      assert.equal(plain.status, 200);
      assert.doesNotMatch(plain.body, /__annotate/);
    }
    await new Promise((r) => setTimeout(r, 200)); // the line is written when the response finishes
    assert.equal(count(app.log(), /\/nga-plain\.html was served as HTML without the overlay/.source), 1, app.log());
    assert.doesNotMatch(app.log(), /\/ was served as HTML without the overlay/, 'the rendered page is not named');
  });
});
