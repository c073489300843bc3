// Team mode's sign-in for the overlay (issue 20), in headless Chromium: an
// admin's `token link`, opened in the browser, leaves an HttpOnly SameSite
// cookie (the token never in a URL the server sees, gone from the address
// bar), with which the overlay loaded on a preview page (another origin,
// listed with --allow-origin) opens its WebSocket. A browser that did not
// sign in gets nothing: no script, no socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, pageServer, overlayTag, run, withDeadline } from './lib/browser.js';
import { startServe, rawRequest } from '../integration/lib/serve.js';
import { tempRoot } from '../integration/lib/cli.js';
import { createToken, bearer } from '../integration/lib/team.js';

async function socketsConnected(port, admin) {
  const r = await rawRequest(port, { path: '/__annotate/health', headers: bearer(admin) });
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body).socketsConnected;
}

// Opens a WebSocket from the page; resolves 'open' or 'refused'.
const tryWebSocket = (page, url) => page.evaluate((u) => new Promise((resolve) => {
  const ws = new WebSocket(u);
  ws.onopen = () => { ws.close(); resolve('open'); };
  ws.onerror = () => resolve('refused');
}), url);

test('the sign-in link sets an HttpOnly cookie that the overlay and its socket use', async (t) => {
  const root = tempRoot(t);
  const ctx = { port: 0 };
  const preview = await pageServer(t, {
    '/': (c) => `<!doctype html><html><head>${overlayTag(c.port)}</head><body><h1>Preview</h1></body></html>`,
  }, ctx);
  const server = await startServe(t, { root, args: ['--team', '--allow-origin', preview], ms: 10000 });
  ctx.port = server.port;
  const admin = createToken(['--root', root], 'admin', 'Ada');
  const link = run(['token', 'link', '--root', root, '--server', server.url, '--name', 'Pat Reviewer']);
  assert.equal(link.status, 0, link.stderr);
  const url = link.stdout.trim();
  const token = url.split('#token=')[1];
  assert.match(url, new RegExp(`^${server.url}/__annotate/signin#token=nga_`));

  const browser = await launch(t);
  const signedIn = await browser.newContext();
  const page = await signedIn.newPage();
  const seenUrls = [];
  page.on('request', (r) => seenUrls.push(r.url()));
  await page.goto(url);
  await withDeadline(page.waitForSelector('body[data-signed-in]'), 'the sign-in page to sign in', 10000);
  assert.equal(await page.evaluate(() => document.body.dataset.signedIn), 'Pat Reviewer');
  assert.ok(!page.url().includes('token'), `the address bar still holds the token: ${page.url()}`);
  assert.equal(await page.evaluate(() => document.cookie.includes('nga_token')), false, 'HttpOnly');
  const [cookie] = (await signedIn.cookies(server.url)).filter((c) => c.name === 'nga_token');
  assert.ok(cookie, 'the nga_token cookie is set');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');
  assert.equal(cookie.value, token);
  // What reaches the server: the URL without its fragment.
  for (const seen of seenUrls) {
    const sent = new URL(seen);
    sent.hash = '';
    assert.ok(!sent.href.includes(token.slice(21)), `a request URL held the token: ${sent.href}`);
  }

  // The preview page: the overlay's script and socket ride on the cookie.
  const before = await socketsConnected(server.port, admin);
  const app = await signedIn.newPage();
  await app.goto(preview + '/');
  await withDeadline((async () => {
    while (await socketsConnected(server.port, admin) <= before) await new Promise((r) => setTimeout(r, 100));
  })(), 'the overlay to connect with the cookie', 10000);
  assert.equal(await tryWebSocket(app, `ws://127.0.0.1:${server.port}/__annotate`), 'open');

  // Another browser, never signed in: 401 for the script and the socket.
  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto(preview + '/');
  assert.equal(await tryWebSocket(stranger, `ws://127.0.0.1:${server.port}/__annotate`), 'refused');
  const script = await stranger.evaluate((u) => fetch(u, { credentials: 'include' }).then((r) => r.status),
    `${server.url}/__annotate/health`).catch(() => 'refused');
  assert.notEqual(script, 200);

  // Signing out clears the cookie.
  const out = await page.evaluate(() => fetch('/__annotate/signin', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"signOut":true}',
  }).then((r) => r.status));
  assert.equal(out, 200);
  assert.equal((await signedIn.cookies(server.url)).filter((c) => c.name === 'nga_token').length, 0);
  assert.ok(!server.stderr().includes(token.slice(21)), 'the token is in the server log');
});

test('an agent token cannot sign a browser in', async (t) => {
  const root = tempRoot(t);
  const server = await startServe(t, { root, args: ['--team'], ms: 10000 });
  const agent = createToken(['--root', root], 'agent', 'bot');
  const browser = await launch(t);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/__annotate/signin#token=${agent}`);
  await withDeadline(page.waitForFunction(() => /Not signed in/.test(document.body.textContent)),
    'the refusal', 10000);
  assert.match(await page.textContent('#status'), /agent tokens are for \/mcp/);
  assert.equal((await context.cookies(server.url)).length, 0);
});
