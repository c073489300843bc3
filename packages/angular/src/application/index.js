'use strict';
// @ng-annotate/angular:application — @angular/build:application (`ng build`),
// run through its public buildApplication(options, context, extensions).
// Without preview mode it IS that builder: the options go through unchanged
// and the output is the same. Preview mode (issue 20) needs both the
// `preview: { server, project }` option and NG_ANNOTATE_PREVIEW=1; then:
//   * the compiler emits template source locations (a derived tsconfig in
//     .ng-annotate/, as the dev-server builder does for ng serve), which
//     ./preview-output.js turns into `data-nga-id` source ids;
//   * index.html gets the team server's client.js tag;
//   * the manifest of ids goes to <root>/.ng-annotate/builds/<build>.json,
//     which `ng-annotate manifest push` sends.
const { realpathSync, readdirSync, readFileSync, writeFileSync, statSync, mkdirSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { requireWorkspace, resolveFirst, workspaceBases } = require('../dev-server/resolve');
const { derivedTsconfig } = require('../dev-server/source-locations');
const { rewriteBuiltScript, hasRuntime } = require('./preview-output');

const WRAPPED = '@angular/build:application';

async function loadPreviewModule(root) {
  const file = resolveFirst('@ng-annotate/cli/lib/preview.js', [__dirname, ...workspaceBases(root)])
    ?? path.resolve(__dirname, '../../../cli/lib/preview.js');
  return import(pathToFileURL(file).href);
}

/** Every file under `dir` whose name matches `pattern`. */
function filesUnder(dir, pattern, found = []) {
  let names = [];
  try { names = readdirSync(dir); } catch { return found; }
  for (const name of names) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) filesUnder(p, pattern, found);
    else if (pattern.test(name)) found.push(p);
  }
  return found;
}

/** Where the browser files go: outputPath as a string or {base, browser}. */
function browserDir(root, options, projectName) {
  const output = options.outputPath ?? `dist/${projectName}`;
  const base = typeof output === 'string' ? output : output.base;
  const browser = typeof output === 'string' ? 'browser' : (output.browser ?? 'browser');
  return path.resolve(root, base, browser);
}

async function* buildWithAnnotate(options, context) {
  const root = realpathSync(context.workspaceRoot);
  const { buildApplication } = requireWorkspace('@angular/build', root);
  const { preview: previewOption, ...appOptions } = options;
  const preview = await loadPreviewModule(root);
  const settings = preview.previewSettings(previewOption);
  if (settings.message) context.logger.info(`[ng-annotate] ${settings.message}`);
  if (!settings.enabled) {
    yield* buildApplication(appOptions, context);
    return;
  }

  const project = context.target?.project ?? 'app';
  const dir = path.join(root, '.ng-annotate');
  const tsconfig = path.join(dir, `tsconfig.${project.replace(/[^\w.-]/g, '_')}.preview.json`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(tsconfig, derivedTsconfig(dir, path.resolve(root, appOptions.tsConfig)));
  const previewOptions = { ...appOptions, tsConfig: path.relative(root, tsconfig), subresourceIntegrity: false };

  for await (const output of buildApplication(previewOptions, context)) {
    if (!output.success) { yield output; continue; }
    const out = browserDir(root, appOptions, project);
    const ids = new Map();
    let runtime = false;
    for (const file of filesUnder(out, /\.m?js$/)) {
      const text = readFileSync(file, 'utf8');
      const rewritten = rewriteBuiltScript(text, ids);
      if (rewritten === null) continue;
      if (hasRuntime(rewritten)) runtime = true;
      writeFileSync(file, rewritten);
    }
    if (!runtime || ids.size === 0) {
      context.logger.error('[ng-annotate] preview: this Angular build has no template source locations '
        + '(enableTemplateSourceLocations needs Angular 22): the pages would carry no source ids.');
      yield { ...output, success: false };
      continue;
    }
    const sourceIds = { toJSON: () => Object.fromEntries([...ids].sort(([a], [b]) => (a < b ? -1 : 1))) };
    const build = settings.build ?? preview.defaultBuildId(sourceIds);
    const tag = preview.previewScriptTag({ ...settings, build });
    for (const file of filesUnder(out, /^index(\.csr)?\.html$/)) {
      const html = readFileSync(file, 'utf8');
      writeFileSync(file, html.includes('</head>') ? html.replace('</head>', `${tag}\n</head>`) : `${tag}\n${html}`);
    }
    const manifest = preview.writeManifest(root, { project: settings.project, build, ids: sourceIds });
    context.logger.info(preview.pushHint(manifest, { ...settings, build }));
    yield output;
  }
}

const { createBuilder } = requireWorkspace('@angular-devkit/architect');
module.exports = createBuilder(buildWithAnnotate);
module.exports.buildWithAnnotate = buildWithAnnotate;
