// The files whose <body> gets the overlay's script tag: the App Router's root
// layout and the Pages Router's custom document (the only places a Next app
// writes <body>), under the project or its src/.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const EXTENSIONS = ['tsx', 'jsx', 'js', 'ts'];
const PLACES = ['app/layout', 'src/app/layout', 'pages/_document', 'src/pages/_document'];

export function overlayEntries(root) {
  const out = [];
  for (const place of PLACES) {
    for (const ext of EXTENSIONS) {
      const file = join(root, `${place}.${ext}`);
      if (existsSync(file)) { out.push(file); break; }
    }
  }
  return out;
}

const TAG = '<script src="/__annotate/client.js" async />';

// What the dev log says (once, at start) about routes the overlay cannot reach, with the fix.
export function missingEntries(root) {
  const found = overlayEntries(root).map((f) => f.slice(root.length + 1).replace(/\\/g, '/'));
  const has = (dir) => found.some((f) => f.startsWith(dir));
  const out = [];
  for (const dir of ['pages/', 'src/pages/']) {
    if (existsSync(join(root, dir)) && !has(dir)) {
      out.push(`${dir} has no _document, so its pages get no overlay: add ${dir}_document.tsx, Next's custom `
        + 'Document (<Html><Head /><body><Main /><NextScript /></body></Html>), and withNgAnnotate puts the overlay into its <body>.');
    }
  }
  const app = ['app/', 'src/app/'].some((d) => existsSync(join(root, d)));
  if (!found.length && !out.length) {
    out.push(`found no app/layout nor pages/_document, so the overlay cannot be put into the page: add ${TAG} `
      + 'right after <body> in your root layout (or pages/_document).');
  } else if (app && !['app/', 'src/app/'].some(has)) {
    out.push(`found no app/layout, so App Router pages get no overlay: add ${TAG} right after <body> in your root layout.`);
  }
  return out;
}
