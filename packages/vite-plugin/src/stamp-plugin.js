// The dev-only Vite sub-plugin that applies the source stamps of ./stamp.js
// (contract C4) to the project's own JSX/TSX, Vue SFC and Svelte files, before
// the framework's plugin compiles them, each with its source map. With
// @vitejs/plugin-react, JSX is not touched: the positions its compiler hands
// the JSX dev runtime become the stamps (./jsx-runtime-stamp.js); otherwise
// JSX is scanned (Vite's `parseAst` only where the scan is unsure). Vue templates are
// stamped by Vue's own compiler (a node transform handed to
// @vitejs/plugin-vue), else parsed with the project's `vue/compiler-sfc`;
// Svelte 4 with the project's `svelte/compiler` (Svelte 5 records each
// element's location itself: no stamp). Paths in stamps are relative
// to the project root (the app's package.json directory), which is the
// daemon's root too. `vite build` never sees it (apply: 'serve').
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, sep, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  STAMP_ATTR, stampJsxWithMap, stampVueWithMap, stampSvelteWithMap, vueStampNodeTransform, vueCompilerReusesAst,
} from './stamp.js';
import { exposeSveltePropsWithMap } from './svelte-props.js';
import { JSX_DEV_RUNTIME, jsxDevRuntimeShim } from './jsx-runtime-stamp.js';

// The stand-in module for a JSX dev runtime (./jsx-runtime-stamp.js).
const RUNTIME_PREFIX = '\0ng-annotate-jsx-dev-runtime:';
const RUNTIME_ID = /^\0ng-annotate-jsx-dev-runtime:/;

const FILES = /\.(jsx|tsx|vue|svelte)$/;

// The modules that get stamps, as a transform hook's `filter` (Vite then does
// not call the hook for the others) ...
export const SOURCE_FILTER = { id: { include: FILES, exclude: /node_modules|\?/ } };

// ... and as a test inside the hook, which a Vite without hook filters needs:
// the project's own JSX/TSX, Vue SFC and Svelte files, with no query.
export function isSourceModule(root, id) {
  return !id.includes('?') && FILES.test(id) && inProject(root, id);
}

// A file of the project at `root`: an absolute path inside it, not a dependency's.
export function inProject(root, file) {
  return isAbsolute(file) && !file.includes('/node_modules/') && !relative(root, file).startsWith('..');
}

// Imports `specifier` as the project at `root` would, or null when it has none.
export async function importFrom(root, specifiers) {
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

// The project root of a resolved Vite config: module ids are real paths, so
// is the root they are made relative to. Imported when called, not at the
// top, so that this file's pure parts load without @ng-annotate/cli installed
// beside it (the stamp tests).
export async function projectRootOf(config) {
  const { projectRoot } = await import('@ng-annotate/cli/lib/project-root.js');
  return projectRoot(config.root);
}

// The version of package `name` as the project at `root` has it, from its
// package.json: no need to load a compiler to learn it (an `import()` of
// `svelte/compiler` or `vue/compiler-sfc`, which `require` conditions resolve
// to a CommonJS build, cost the dev server ~0.4 s of CPU at every start, in
// Node's CommonJS export scan, and a second copy of the compiler). Null when
// it has none.
export function packageVersion(root, name) {
  const require = createRequire(join(root, 'package.json'));
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version ?? null;
  } catch { /* not installed, or package.json not exported: from its entry up */ }
  let dir;
  try { dir = dirname(require.resolve(name)); } catch { return null; }
  for (; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === name) return pkg.version ?? null;
    } catch { /* no package.json here */ }
  }
  return null;
}

// Svelte 5 and later set `__svelte_meta = {loc: {file, line, column}}` on
// every element in development, hydrated ones included.
export function svelteRecordsLocations(version) {
  return Number(String(version || '').split('.')[0]) >= 5;
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
  let vueByCompiler = false; // .vue templates are stamped by Vue's compiler
  let jsxByRuntime = false; // JSX is stamped by the JSX dev runtime's stand-in
  const stampedSvelte = new Set(); // ids whose source this plugin stamped (and mapped)
  let svelteVersion = ''; // the project's (configResolved reads it), '' without Svelte
  const parsers = {};
  const loadParser = (key, specs) => (parsers[key] ??= importFrom(viteRoot, specs).catch(() => null));
  const stampable = (file) => enabled && inProject(root, file);
  // The transform hook's filter, narrowed in configResolved to the kinds of
  // file this plugin still edits there (Vite reads a plugin's filters at its
  // first call, after configResolved): with the JSX runtime's stand-in, Vue's
  // node transform and Svelte 5, Vite never calls it (issue 22: in a CPU
  // profile of a React warm start, this hook and resolveId, called for every
  // module and every import, took 3-20 ms of the dev server's 6-9 s).
  const transformFilter = { id: { ...SOURCE_FILTER.id } };

  // Hands Vue's compiler the stamping node transform through
  // @vitejs/plugin-vue's `api.options`; false when that is not possible
  // (no plugin-vue, or a compiler that does not keep SFC positions).
  async function hookVueCompiler(config) {
    const vue = config.plugins.find((p) => p.name === 'vite:vue');
    const options = vue?.api?.options;
    if (!options) return false;
    // The compiler plugin-vue will use: its own option, else the project's
    // `vue` (whose compiler-sfc it resolves, at the same version).
    const version = options.compiler?.version ?? packageVersion(viteRoot, 'vue') ?? packageVersion(viteRoot, '@vue/compiler-sfc');
    if (!vueCompilerReusesAst(version)) return false;
    const transform = vueStampNodeTransform((file) => (stampable(file) ? rootRelative(root, file) : null));
    const template = options.template ?? {};
    const compilerOptions = template.compilerOptions ?? {};
    vue.api.options = {
      ...options,
      template: { ...template, compilerOptions: { ...compilerOptions, nodeTransforms: [...(compilerOptions.nodeTransforms ?? []), transform] } },
    };
    return true;
  }

  // vite-plugin-svelte hands the map so far (ours) to the Svelte compiler,
  // which merges it into its output, and Vite then applies that same map once
  // more: a column after a stamp lands on the stamp's tag. For the files we
  // stamped, its compile step gets no map so far, so that ours is applied
  // once, by Vite.
  function mapOursOnceForSvelte(config) {
    const compile = config.plugins.find((p) => p.name === 'vite-plugin-svelte:compile');
    const hook = compile?.transform;
    const handler = typeof hook === 'function' ? hook : hook?.handler;
    if (typeof handler !== 'function') return;
    const wrapped = function (code, id, ...rest) {
      if (!stampedSvelte.has(id)) return handler.call(this, code, id, ...rest);
      const context = Object.create(this, { getCombinedSourcemap: { value: () => undefined } });
      return handler.call(context, code, id, ...rest);
    };
    if (typeof hook === 'function') compile.transform = wrapped; else hook.handler = wrapped;
  }

  let logger = null;
  let warnedClassic = false;

  const stamp = {
    name: 'ng-annotate:stamp',
    apply: 'serve',
    enforce: 'pre',
    async configResolved(config) {
      root = await projectRootOf(config);
      viteRoot = config.root;
      logger = config.logger;
      if (enabled && config.command === 'serve') {
        vueByCompiler = await hookVueCompiler(config);
        // Not under Astro: its React islands render on the server first and
        // hydrate, and with the runtime's stand-in their elements came out with
        // no stamp at all (tests/e2e/apps.test.js, astro-demo row), while the
        // source stamp below gives them one. Everywhere else the stand-in.
        const astro = config.plugins.some((p) => /^astro:/.test(p.name));
        jsxByRuntime = !astro && config.plugins.some((p) => /^vite:react-(babel|refresh|oxc|swc)/.test(p.name));
        mapOursOnceForSvelte(config);
        svelteVersion = packageVersion(viteRoot, 'svelte') ?? '';
        const kinds = [...(jsxByRuntime ? [] : ['jsx', 'tsx']), ...(vueByCompiler ? [] : ['vue']),
          ...(svelteRecordsLocations(svelteVersion) ? [] : ['svelte'])];
        transformFilter.id.include = kinds.length ? new RegExp(`\\.(${kinds.join('|')})$`) : /(?!)/;
      }
    },
    // The project's own JSX/TSX modules (the files stamped otherwise) import
    // the stand-in instead of the runtime.
    // The filters let Vite skip the call for every other import and module.
    resolveId: {
      filter: { id: JSX_DEV_RUNTIME },
      handler(id, importer) {
        if (!jsxByRuntime || !importer || importer.startsWith(RUNTIME_PREFIX)) return null;
        const file = importer.split('?')[0];
        if (!JSX_DEV_RUNTIME.test(id) || !/\.(jsx|tsx)$/.test(file) || !stampable(file)) return null;
        return RUNTIME_PREFIX + id;
      },
    },
    load: {
      filter: { id: RUNTIME_ID },
      handler(id) {
        if (!id.startsWith(RUNTIME_PREFIX)) return null;
        return jsxDevRuntimeShim(id.slice(RUNTIME_PREFIX.length), root.split(sep).join('/'), STAMP_ATTR);
      },
    },
    transform: {
      order: 'pre',
      filter: transformFilter,
      async handler(code, id) {
        if (!enabled || !isSourceModule(root, id)) return null;
        const rel = rootRelative(root, id);
        let out = null;
        if (id.endsWith('.vue')) {
          if (vueByCompiler) return null;
          const sfc = await loadParser('vue', ['vue/compiler-sfc', '@vue/compiler-sfc']);
          if (sfc) out = stampVueWithMap(code, rel, sfc, id);
        } else if (id.endsWith('.svelte')) {
          // Svelte 5's dev build already records where each element is
          // written (`__svelte_meta.loc`, which the overlay reads): a stamp
          // would only add bytes to every template. Its compiler is loaded
          // only for Svelte 4 (svelteVersion: read in configResolved).
          const svelte = svelteRecordsLocations(svelteVersion) ? null : await loadParser('svelte', ['svelte/compiler']);
          if (svelte && !svelteRecordsLocations(svelte.VERSION)) out = stampSvelteWithMap(code, rel, svelte, id);
          if (out) stampedSvelte.add(id); else stampedSvelte.delete(id);
        } else {
          if (jsxByRuntime) return null;
          // `parseAst` runs only on a file the scan cannot read.
          const vite = await loadParser('vite', ['vite']);
          out = stampJsxWithMap(code, rel, vite?.parseAst ?? null, id);
        }
        return out;
      },
    },
  };

  // Never silent: JSX compiled with the classic runtime (React.createElement)
  // passes no positions, so its elements would carry no stamp.
  const classicCheck = {
    name: 'ng-annotate:stamp-jsx-check',
    apply: 'serve',
    enforce: 'post',
    transform: {
      filter: { id: { include: /\.(jsx|tsx)$/, exclude: /node_modules/ } },
      handler(code, id) {
        if (!jsxByRuntime || warnedClassic || !stampable(id) || !/\.(jsx|tsx)$/.test(id)) return null;
        if (code.includes('jsx-dev-runtime') || !/\bcreateElement\(/.test(code)) return null;
        warnedClassic = true;
        logger?.warn(`[ng-annotate] ${rootRelative(root, id)} is compiled with the classic JSX runtime (createElement), `
          + 'which passes no source positions: its elements get no source stamp. The automatic runtime '
          + "(@vitejs/plugin-react's default, jsxRuntime: 'automatic') has them.");
        return null;
      },
    },
  };
  return [stamp, classicCheck];
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
        return exposeSveltePropsWithMap(code, id);
      },
    },
  };
}

// The dev-only sub-plugins of contract C4, for the plugin factory's list
// (`ngAnnotate({ stamp: false })` turns them off).
export function sourcePlugins(context = { options: {} }) {
  const enabled = context.options.stamp !== false;
  return [...stampPlugin({ enabled }), sveltePropsPlugin({ enabled })];
}
