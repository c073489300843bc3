// ng-annotate:preview: the overlay on a deployed `vite build` (issue 20),
// see @ng-annotate/cli/lib/preview.js for the rules. Only when `preview: { server, project }`
// is given AND NG_ANNOTATE_PREVIEW=1: otherwise this sub-plugin is not in the
// build at all, and the output is byte for byte what it is without
// ng-annotate. The rules are @ng-annotate/cli's (lib/preview.js). In preview mode the project's JSX/TSX, Vue SFC and Svelte
// elements get `data-nga-id` (the stamps of ./stamp.js, with a short id in
// place of the path), index.html gets the team server's client.js tag, and
// the manifest of ids goes to <root>/.ng-annotate/builds/<build>.json.
import { stampJsxWithMap, stampVueWithMap, stampSvelteWithMap } from './stamp.js';
import {
  importFrom, rootRelative, projectRootOf, SOURCE_FILTER, isSourceModule,
} from './stamp-plugin.js';
import {
  previewSettings, SourceIds, defaultBuildId, writeManifest, previewScriptAttrs, pushHint,
} from '@ng-annotate/cli/lib/preview.js';

export function previewPlugin(context, env = process.env) {
  const settings = previewSettings(context.options.preview, env);
  const told = { done: false };
  // Off: only the one line that says why, at the start of a build.
  if (!settings.enabled) {
    if (!settings.message) return [];
    return [{
      name: 'ng-annotate:preview-off',
      apply: 'build',
      configResolved(config) { if (!told.done) { told.done = true; config.logger.info(`[ng-annotate] ${settings.message}`); } },
    }];
  }
  const ids = new SourceIds();
  let root;
  let viteRoot;
  let logger;
  let build = settings.build;
  const parsers = {};
  const loadParser = (key, specs) => (parsers[key] ??= importFrom(viteRoot, specs).catch(() => null));
  const buildId = () => (build ??= defaultBuildId(ids));

  return [{
    name: 'ng-annotate:preview',
    apply: 'build',
    enforce: 'pre',
    async configResolved(config) {
      root = await projectRootOf(config);
      viteRoot = config.root;
      logger = config.logger;
    },
    transform: {
      order: 'pre',
      filter: SOURCE_FILTER,
      async handler(code, id) {
        if (!isSourceModule(root, id)) return null;
        if (this.environment && this.environment.config.consumer === 'server') return null;
        const rel = rootRelative(root, id);
        const options = { attribute: ids.attribute };
        if (id.endsWith('.vue')) {
          const sfc = await loadParser('vue', ['vue/compiler-sfc', '@vue/compiler-sfc']);
          return sfc ? stampVueWithMap(code, rel, sfc, id, options) : null;
        }
        if (id.endsWith('.svelte')) {
          const svelte = await loadParser('svelte', ['svelte/compiler']);
          return svelte ? stampSvelteWithMap(code, rel, svelte, id, options) : null;
        }
        const vite = await loadParser('vite', ['vite']);
        return stampJsxWithMap(code, rel, vite?.parseAst ?? null, id, options);
      },
    },
    // After every module was transformed (Vite runs 'post' HTML hooks while
    // writing the bundle), so a build id made from the manifest is final.
    transformIndexHtml: {
      order: 'post',
      handler() {
        return [{ tag: 'script', attrs: previewScriptAttrs({ ...settings, build: buildId() }), injectTo: 'head' }];
      },
    },
    closeBundle() {
      if (this.environment && this.environment.config.consumer === 'server') return;
      const file = writeManifest(root, { project: settings.project, build: buildId(), ids });
      logger.info(pushHint(file, { ...settings, build: buildId() }));
    },
  }];
}
