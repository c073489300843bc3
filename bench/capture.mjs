// Screenshots (issue 18): the overlay's capture of a card-sized element on the
// fixture apps, and what get_annotation costs with an image. Measures, prints,
// asserts nothing.
//   node bench/capture.mjs [/abs/path/to/ng-annotate]
// 1. examples/{react,vue,svelte}-demo on their real Vite dev server (our
//    plugin), headless Chromium at device pixel ratio 2: the screenshot the
//    annotate panel sends of `section.user-card` (window.__ngAnnotate.capture:
//    draw, cut, encode, base64), timed in the page, 1 cold + 9 warm each.
// 2. `ng-annotate serve` + a browser socket that creates 20 annotations, each
//    with the largest of those images; then `ng-annotate mcp` over raw stdio
//    JSON-RPC: 50 get_annotation round trips with an image beside 50 without
//    one (the server's share is at most the round trip), the same for the
//    heaviest annotation (the image and 20 other elements), and whether any
//    list answer (get_all_pending, get_session, list_sessions) holds image bytes.
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServe, browser as socket, rawMcp, tempDir, cleanup, stop, percentile, withDeadline } from './lib.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = resolve(process.argv[2] || process.env.NG_ANNOTATE_BIN || join(repo, 'build/release/ng-annotate'));
process.env.NG_ANNOTATE_BIN = BIN;
const { startViteApp } = await import('../tests/e2e/lib/vite-app.js');
const APPS = ['react-demo', 'vue-demo', 'svelte-demo'];
const f = (x) => x.toFixed(1);

const chrome = await chromium.launch({
  executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const perApp = [];
let largest = null;
try {
  for (const app of APPS) {
    const server = await startViteApp(app);
    try {
      const context = await chrome.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => window.__ngAnnotate && window.__ngAnnotate.connected, null, { timeout: 20000 });
      await page.evaluate(() => window.__ngAnnotate.loadLazy().then(() => true));
      const r = await page.evaluate(async () => {
        const el = document.querySelector('section.user-card');
        const times = [];
        let shot;
        for (let i = 0; i < 10; i++) {
          const t0 = performance.now();
          shot = await window.__ngAnnotate.capture(el);
          times.push(performance.now() - t0);
        }
        return { times, shot };
      });
      await context.close();
      const warm = r.times.slice(1).sort((a, b) => a - b);
      perApp.push({ app, first: r.times[0], median: warm[warm.length >> 1], shot: r.shot });
      if (!largest || r.shot.data.length > largest.data.length) largest = r.shot;
    } finally {
      await server.stop();
    }
  }
} finally {
  await chrome.close();
}
const medians = perApp.map((p) => p.median).sort((a, b) => a - b);
console.log(`capture card-sized element (section.user-card, DPR 2, modern-screenshot, encode + base64): median ${f(medians[medians.length >> 1])} ms ` +
  `(${perApp.map((p) => `${p.app} ${f(p.median)} ms, cold ${f(p.first)} ms, ${p.shot.width}x${p.shot.height} ${p.shot.mimeType} ${Math.round(p.shot.data.length * 3 / 4 / 1024)} KiB`).join('; ')}) — target ≤ 150 ms median`);

const root = tempDir('nga-bench-capture-');
let serve, mcp, ws;
try {
  serve = await startServe(BIN, root);
  const b = await socket(serve.wsUrl);
  ws = b.ws;
  const N = 20;
  const ids = [];
  await withDeadline(new Promise((done) => {
    b.on('annotation:created', (m) => { ids.push(m.annotation.id); if (ids.length === N) done(); });
    for (let i = 0; i < N; i++) {
      ws.send(JSON.stringify({ type: 'annotation:create', payload: {
        componentName: 'UserCard', annotationText: `card ${i}`, selector: 'section.user-card', framework: 'react',
        screenshot: { mimeType: largest.mimeType, data: largest.data },
      } }));
    }
  }), 'the creates');
  // One without an image, for the comparison.
  const plainId = await withDeadline(new Promise((done) => {
    b.on('annotation:created', (m) => { if (m.annotation.annotationText === 'plain') done(m.annotation.id); });
    ws.send(JSON.stringify({ type: 'annotation:create', payload: { componentName: 'UserCard', annotationText: 'plain', selector: 'p' } }));
  }), 'the plain create');
  // The heaviest annotation the overlay sends (issue 18): the image and 20
  // other elements, each with inputs and a DOM snippet, laid out for the agent.
  const element = (i) => ({ componentName: `Card${i}`, componentFilePath: `src/components/Card${i}.tsx`, selector: 'article.card',
    sourceLocation: `src/components/Card${i}.tsx:3:5`, componentTreePath: ['App', 'List'], inputs: { title: 'x'.repeat(2000), index: i },
    domSnapshot: '<article>' + 'y'.repeat(900) + '</article>', boundingBox: { x: 0, y: i * 100, width: 300, height: 90 } });
  const multiId = await withDeadline(new Promise((done) => {
    b.on('annotation:created', (m) => { if (m.annotation.annotationText === 'multi') done(m.annotation.id); });
    ws.send(JSON.stringify({ type: 'annotation:create', payload: {
      componentName: 'UserCard', annotationText: 'multi', selector: 'section.user-card', framework: 'react',
      elements: Array.from({ length: 20 }, (_, i) => element(i)), region: { x: 0, y: 0, width: 400, height: 2000 },
      screenshot: { mimeType: largest.mimeType, data: largest.data },
    } }));
  }), 'the create with 20 elements');
  mcp = await rawMcp(BIN, root);
  const time = async (id) => {
    const samples = [];
    let line = '';
    for (let i = 0; i < 50; i++) {
      const t0 = process.hrtime.bigint();
      line = await mcp.rpc('tools/call', { name: 'get_annotation', arguments: { id } });
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return { samples, line };
  };
  const withImage = await time(ids[0]);
  const without = await time(plainId);
  const imageOk = withImage.line.includes('"type":"image"') && withImage.line.includes(largest.data.slice(0, 64));
  console.log(`capture get_annotation with a ${Math.round(largest.data.length * 3 / 4 / 1024)} KiB image, stdio round trip: median ${f(percentile(withImage.samples, 50))} ms, p95 ${f(percentile(withImage.samples, 95))} ms ` +
    `(without an image: median ${f(percentile(without.samples, 50))} ms)${imageOk ? '' : ' [NO IMAGE IN THE ANSWER]'} — target ≤ 5 ms in the server`);
  const multi = await time(multiId);
  const multiOk = multi.line.includes('"type":"image"') && multi.line.includes('"pageData"') && multi.line.includes('Card19');
  console.log(`capture get_annotation with the image and 20 other elements (${Math.round(multi.line.length / 1024)} KiB answer), stdio round trip: median ${f(percentile(multi.samples, 50))} ms, p95 ${f(percentile(multi.samples, 95))} ms` +
    `${multiOk ? '' : ' [ELEMENTS OR IMAGE MISSING]'} — target ≤ 5 ms in the server`);
  const sessionId = b.sessionId;
  let imageBytes = 0;
  for (const [name, args] of [['get_all_pending', {}], ['get_session', { id: sessionId }], ['list_sessions', {}]]) {
    const line = await mcp.rpc('tools/call', { name, arguments: args });
    if (line.includes(largest.data.slice(0, 64)) || line.includes('"type":"image"')) imageBytes += line.length;
  }
  console.log(`capture list answers (get_all_pending, get_session, list_sessions) with ${N} images stored: ${imageBytes} bytes of image — target 0`);
} finally {
  ws?.close();
  await mcp?.close();
  if (serve) await stop(serve.child);
  cleanup();
}
