// The dev-only Vite sub-plugin that applies the source stamps of ./stamp.js
// (contract C4) to the project's own JSX/TSX, Vue SFC and Svelte files, before
// the framework's plugin compiles them. It parses with what the project
// already has: Vite's `parseAst`, `vue/compiler-sfc`, `svelte/compiler`,
// resolved from the Vite root. Paths in stamps are relative to the project
// root (the app's package.json directory), which is the daemon's root too.
// `vite build` never sees it (apply: 'serve').
import { createRequire } from 'node:module';
import { join, relative, sep, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stampJsx, stampVue, stampSvelte } from './stamp.js';
import { exposeSvelteProps } from './svelte-props.js';

const FILES = /\.(jsx|tsx|vue|svelte)$/;

// Imports `specifier` as the project at `root` would, or null when it has none.
async function importFrom(root, specifiers) {
  const require = createRequire(join(root, 'package.json'));
  for (const spec of specifiers) {
    let path;
    try { path = require.resolve(spec); } catch { continue; }
    const mod = await import(pathToFileURL(path).href);
    // A CommonJS build (what `require` conditions resolve to) comes as `default`.
    return mod.default && !mod.parse && !mod.parseAst ? mod.default : mod;
  }
  return null;
}

// The path written into the stamp: relative to the root, forward slashes.
export function rootRelative(root, file) {
  const rel = relative(root, file);
  return rel.split(sep).join('/');
}

// `enabled: false` turns stamping off (plugin option `stamp: false`).
function stampPlugin({ enabled = true } = {}) {
  let root; // the project root: stamps' paths are relative to it
  let viteRoot; // where the project's parsers are resolved from
  const parsers = {};
  const load = (key, specs) => (parsers[key] ??= importFrom(viteRoot, specs).catch(() => null));

  return {
    name: 'ng-annotate:stamp',
    apply: 'serve',
    enforce: 'pre',
    async configResolved(config) {
      // Module ids are real paths: so is the root they are made relative to.
      // Imported here, not at the top, so that this file's pure parts load
      // without @ng-annotate/cli installed beside it (the stamp tests).
      const { projectRoot } = await import('@ng-annotate/cli/lib/project-root.js');
      root = projectRoot(config.root);
      viteRoot = config.root;
    },
    transform: {
      order: 'pre',
      filter: { id: { include: FILES, exclude: /node_modules|\?/ } },
      async handler(code, id) {
        if (!enabled || id.includes('?') || id.includes('/node_modules/') || !FILES.test(id)) return null;
        if (!isAbsolute(id) || relative(root, id).startsWith('..')) return null;
        const rel = rootRelative(root, id);
        let out = null;
        if (id.endsWith('.vue')) {
          const sfc = await load('vue', ['vue/compiler-sfc', '@vue/compiler-sfc']);
          if (sfc) out = stampVue(code, rel, sfc);
        } else if (id.endsWith('.svelte')) {
          const svelte = await load('svelte', ['svelte/compiler']);
          if (svelte) out = stampSvelte(code, rel, svelte);
        } else {
          const vite = await load('vite', ['vite']);
          if (vite?.parseAst) out = stampJsx(code, rel, vite.parseAst, id);
        }
        // Attributes are inserted, never moved: a null map keeps positions
        // right enough for the framework's own source map (columns of a
        // stamped line shift by the stamp's length).
        return out === null ? null : { code: out, map: null };
      },
    },
  };
}

// After Svelte compiled a component for the browser: its props on its root
// elements (./svelte-props.js), for the overlay's Svelte adapter.
function sveltePropsPlugin({ enabled = true } = {}) {
  return {
    name: 'ng-annotate:svelte-props',
    apply: 'serve',
    enforce: 'post',
    transform: {
      filter: { id: { include: /\.svelte$/, exclude: /node_modules/ } },
      handler(code, id) {
        if (!enabled || !id.endsWith('.svelte') || id.includes('/node_modules/')) return null;
        if (this.environment && this.environment.config.consumer === 'server') return null;
        const out = exposeSvelteProps(code);
        return out === null ? null : { code: out, map: null };
      },
    },
  };
}

// The dev-only sub-plugins of contract C4, for the plugin factory's list
// (`ngAnnotate({ stamp: false })` turns them off).
export function sourcePlugins(context = { options: {} }) {
  const enabled = context.options.stamp !== false;
  return [stampPlugin({ enabled }), sveltePropsPlugin({ enabled })];
}
