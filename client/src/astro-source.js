// Where Astro says each element of a `.astro` component is written. In
// `astro dev` (with its dev toolbar, the default) Astro's compiler puts
// `data-astro-source-file` (absolute path) and `data-astro-source-loc`
// ("line:column") on those elements, and the toolbar's audit app takes them
// off soon after the page loads, keeping them to itself. Watched from the
// start (client.js runs in the head), so that the overlay keeps them too,
// in state.astroSources.
import { state } from './state.js';

export const ASTRO_FILE = 'data-astro-source-file';
export const ASTRO_LOC = 'data-astro-source-loc';

export function watchAstroSources() {
  if (typeof MutationObserver !== 'function' || !document.documentElement) return;
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.oldValue == null || r.target.hasAttribute(r.attributeName)) continue; // kept or changed: read live
      const entry = state.astroSources.get(r.target) || {};
      entry[r.attributeName === ASTRO_FILE ? 'file' : 'loc'] = r.oldValue;
      state.astroSources.set(r.target, entry);
    }
  }).observe(document.documentElement, {
    subtree: true, attributes: true, attributeOldValue: true, attributeFilter: [ASTRO_FILE, ASTRO_LOC],
  });
}

// {file, loc} for `el` (on it still, or as it was before the toolbar took
// it), or null when Astro wrote nothing there.
export function astroSourceOf(el) {
  const file = el.getAttribute && el.getAttribute(ASTRO_FILE);
  if (file) return { file, loc: el.getAttribute(ASTRO_LOC) };
  const kept = state.astroSources.get(el);
  return kept && kept.file ? kept : null;
}
