// Astro's `.astro` components: rendered on the server only, so no framework
// object is left on their elements, but in `astro dev` Astro's compiler
// records where each element is written (../astro-source.js). The
// component is the file; its host the topmost element of the same file
// around the click; its ancestry the other `.astro` files above it in the
// page (a layout, the page), by where their elements are written. Props of
// an `.astro` component never reach the browser: none are sent.
import { astroSourceOf } from '../astro-source.js';
import { rootRelative, baseName } from './paths.js';
import { formatLocation } from './stamp.js';

export function locate(target) {
  const source = astroSourceOf(target);
  if (!source) return null;
  let host = target;
  for (let p = target.parentElement; p; p = p.parentElement) {
    const s = astroSourceOf(p);
    if (!s || s.file !== source.file) break;
    host = p;
  }
  const file = rootRelative(source.file);
  return { framework: 'astro', host, name: baseName(file) || target.localName, file, source };
}

export function describe(loc, ctx) {
  const [line, column] = String(loc.source.loc || '').split(':').map(Number);
  if (line) ctx.sourceLocation = formatLocation({ file: loc.file, line, column: column || null });
  let previous = loc.source.file;
  for (let p = loc.host.parentElement; p; p = p.parentElement) {
    const s = astroSourceOf(p);
    if (!s || s.file === previous) continue;
    previous = s.file;
    ctx.componentTreePath.unshift(baseName(rootRelative(s.file)));
  }
}
