// How the DOM capture libraries issue 18 names do on the fixture apps: the
// choice behind client/src/lazy/screenshot.js. Measures, prints, asserts nothing.
//   npm i --prefix /tmp/cand @zumer/snapdom modern-screenshot html-to-image
//   node bench/capture_libs.mjs /tmp/cand/node_modules [/abs/path/to/ng-annotate]
// For each of examples/{react,vue,svelte}-demo on its real Vite dev server (our
// plugin included), headless Chromium at device pixel ratio 1, and each
// card-sized element below, each library draws the element to a canvas:
//   fidelity  against Chromium's own screenshot of the same box
//             (page.screenshot clip): share of pixels whose largest channel
//             differs by more than 32, and the mean absolute channel difference;
//   time      first capture (fonts and styles gathered cold) and the median of
//             the next 7, in the page (performance.now, canvas ready);
//   bytes     what bundling the call adds, unminified as client/build.mjs
//             bundles, and minified for reference.
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../client/node_modules/esbuild/lib/main.js';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modules = resolve(process.argv[2] || join(repo, 'client/node_modules'));
if (process.argv[3]) process.env.NG_ANNOTATE_BIN = resolve(process.argv[3]);
const { startViteApp } = await import('../tests/e2e/lib/vite-app.js');

const LIBS = {
  '@zumer/snapdom': `import { snapdom } from '@zumer/snapdom';
    window.__cap = (el) => snapdom.toCanvas(el, { scale: 1, fast: true });`,
  'modern-screenshot': `import { domToCanvas } from 'modern-screenshot';
    window.__cap = (el) => domToCanvas(el, { scale: 1 });`,
  'html-to-image': `import { toCanvas } from 'html-to-image';
    window.__cap = (el) => toCanvas(el, { pixelRatio: 1 });`,
};
const APPS = ['react-demo', 'vue-demo', 'svelte-demo'];
const ELEMENTS = ['section.user-card', 'li:nth-child(2) > *'];

async function bundle(code, minify) {
  const r = await build({ stdin: { contents: code, resolveDir: repo }, nodePaths: [modules], bundle: true,
    format: 'iife', target: ['es2020'], write: false, minify, legalComments: 'none', logLevel: 'silent' });
  return r.outputFiles[0].text;
}
const empty = (await bundle('window.__cap = null;', false)).length;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--font-render-hinting=none'],
});
const rows = [];
try {
  const code = {};
  for (const [lib, src] of Object.entries(LIBS)) {
    code[lib] = await bundle(src, false);
    rows.push({ lib, bytes: code[lib].length - empty, min: (await bundle(src, true)).length - empty, runs: [] });
  }
  for (const app of APPS) {
    const server = await startViteApp(app);
    try {
      for (const row of rows) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
        const page = await context.newPage();
        await page.goto(server.url);
        await page.waitForSelector(ELEMENTS[0], { timeout: 20000 });
        await page.evaluate(() => document.fonts.ready.then(() => true));
        await page.addScriptTag({ content: code[row.lib] });
        for (const selector of ELEMENTS) {
          const el = page.locator(selector).first();
          const box = await el.boundingBox();
          const clip = { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) };
          const reference = (await page.screenshot({ clip })).toString('base64');
          const r = await page.evaluate(async ({ selector, reference, clip }) => {
            const el = document.querySelector(selector);
            const times = [];
            let canvas;
            for (let i = 0; i < 8; i++) {
              const t0 = performance.now();
              canvas = await window.__cap(el);
              times.push(performance.now() - t0);
            }
            const img = new Image();
            img.src = 'data:image/png;base64,' + reference;
            await img.decode();
            const pixels = (source) => {
              const c = document.createElement('canvas');
              c.width = clip.width; c.height = clip.height;
              const g = c.getContext('2d');
              g.fillStyle = '#fff'; g.fillRect(0, 0, c.width, c.height);
              g.drawImage(source, 0, 0, c.width, c.height);
              return g.getImageData(0, 0, c.width, c.height).data;
            };
            const a = pixels(img), b = pixels(canvas);
            let off = 0, sum = 0;
            for (let i = 0; i < a.length; i += 4) {
              const d = Math.max(Math.abs(a[i] - b[i]), Math.abs(a[i + 1] - b[i + 1]), Math.abs(a[i + 2] - b[i + 2]));
              if (d > 32) off++;
              sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
            }
            const n = a.length / 4;
            const warm = times.slice(1).sort((x, y) => x - y);
            return { first: times[0], median: warm[warm.length >> 1], off: off / n, mean: sum / (3 * n),
              size: `${canvas.width}x${canvas.height}`, want: `${clip.width}x${clip.height}` };
          }, { selector, reference, clip });
          row.runs.push({ app, selector, ...r });
        }
        await context.close();
      }
    } finally {
      await server.stop();
    }
  }
} finally {
  await browser.close();
}
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const pct = (x) => `${(x * 100).toFixed(1)} %`;
console.log(`capture libraries on ${APPS.join(', ')} (${ELEMENTS.join(' | ')}), Chromium, DPR 1:`);
for (const r of rows) {
  console.log(`capture ${r.lib.padEnd(18)} pixels off (>32) median ${pct(med(r.runs.map((x) => x.off)))}, worst ${pct(Math.max(...r.runs.map((x) => x.off)))}; ` +
    `mean diff ${med(r.runs.map((x) => x.mean)).toFixed(1)}/255; time median ${med(r.runs.map((x) => x.median)).toFixed(1)} ms ` +
    `(first ${med(r.runs.map((x) => x.first)).toFixed(1)} ms); bytes +${r.bytes} (minified +${r.min})`);
  for (const x of r.runs) {
    console.log(`  ${x.app} ${x.selector}: ${pct(x.off)} off, mean ${x.mean.toFixed(1)}, ${x.median.toFixed(1)} ms (first ${x.first.toFixed(1)}), ${x.size} for ${x.want}`);
  }
}
