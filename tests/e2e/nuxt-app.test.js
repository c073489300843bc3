// examples/nuxt-demo (Nuxt 4.6, the v4 starter's layout) through its one
// line, `modules: ['@ng-annotate/vite-plugin/nuxt']`, on `nuxt dev`, in
// headless Chromium; the truth is tests/e2e/apps/nuxt-demo.js. Then what the
// module must never be silent about: no binary, and an HTML page that did not
// come from Nuxt's renderer (so it has no overlay).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { devAppSuite } from './lib/dev-app-suite.js';
import { startNuxtApp } from './lib/nuxt-app.js';
import { REPO } from './lib/vite-app.js';
import { rawRequest } from '../integration/lib/serve.js';
import { row } from './apps/nuxt-demo.js';

devAppSuite(row);

const count = (text, re) => (text.match(new RegExp(re, 'g')) ?? []).length;
const portOf = (url) => Number(new URL(url).port);

describe('nuxt-demo: what the module says in the dev log', () => {
  it('without a binary, nuxt dev serves the app and says once how to install it', async (t) => {
    const app = await startNuxtApp('nuxt-demo', { env: { NG_ANNOTATE_BIN: '/nonexistent/ng-annotate' } });
    t.after(() => app.stop());
    const page = await rawRequest(portOf(app.url), { path: '/' });
    assert.equal(page.status, 200);
    assert.match(page.body, /Corner shop/);
    const client = await rawRequest(portOf(app.url), { path: '/__annotate/client.js' });
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
    const rendered = await rawRequest(portOf(app.url), { path: '/', headers });
    assert.match(rendered.body, /<script src="\/__annotate\/client\.js"><\/script>/);
    for (let i = 0; i < 2; i++) {
      const plain = await rawRequest(portOf(app.url), { path: '/nga-plain.html', headers });
      assert.equal(plain.status, 200);
      assert.doesNotMatch(plain.body, /__annotate/);
    }
    await new Promise((r) => setTimeout(r, 200)); // the line is written when the response finishes
    assert.equal(count(app.log(), /\/nga-plain\.html was served as HTML without the overlay/.source), 1, app.log());
    assert.doesNotMatch(app.log(), /\/ was served as HTML without the overlay/, 'the rendered page is not named');
  });
});
