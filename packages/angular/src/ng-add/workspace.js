'use strict';
// The angular.json switch, as pure functions over the file's text. The rules are
// written down in ../../README.md ("What ng add changes"), and `ng-annotate init`
// follows the same ones.
const { parseWithSpans, replaceString } = require('./jsonc');

const OURS = '@ng-annotate/angular:dev-server';
const WRAPPABLE = ['@angular/build:dev-server', '@angular-devkit/build-angular:dev-server'];
// Build builders whose output @angular/build's dev server can serve.
const SERVABLE_BUILDS = /^(@angular\/build:application|@angular-devkit\/build-angular:(application|browser-esbuild))$/;

class WorkspaceError extends Error {}

function pickProject(workspace, wanted) {
  const projects = workspace.projects ?? {};
  const names = Object.keys(projects);
  if (wanted) {
    if (!projects[wanted]) throw new WorkspaceError(`no project "${wanted}" in angular.json (it has: ${names.join(', ') || 'none'})`);
    return wanted;
  }
  const apps = names.filter((n) => (projects[n].projectType ?? 'application') === 'application' && projects[n].architect?.serve);
  if (apps.length === 1) return apps[0];
  if (apps.length === 0) throw new WorkspaceError('angular.json has no application with a serve target');
  throw new WorkspaceError(`angular.json has several applications (${apps.join(', ')}): choose one with --project`);
}

/** The builder `init --remove` puts back: the dev server of the build target's package. */
function originalBuilderFor(project) {
  const build = project.architect?.build?.builder ?? '';
  return build.startsWith('@angular-devkit/build-angular:') ? '@angular-devkit/build-angular:dev-server' : '@angular/build:dev-server';
}

/**
 * Switches architect.serve.builder of one project to ours, changing nothing else.
 * @returns {{text: string, changed: boolean, project: string, from: string}}
 */
function switchServeBuilder(text, { project: wanted } = {}) {
  const { value: workspace, spans } = parseWithSpans(text);
  const project = pickProject(workspace, wanted);
  const serve = workspace.projects[project].architect?.serve;
  if (!serve) throw new WorkspaceError(`project "${project}" has no architect.serve target`);
  const from = serve.builder;
  if (from === OURS) return { text, changed: false, project, from };
  if (!WRAPPABLE.includes(from)) {
    throw new WorkspaceError(
      `project "${project}" serves with "${from}", which @ng-annotate/angular cannot wrap ` +
        `(it wraps ${WRAPPABLE.join(' and ')}); run \`ng-annotate serve --proxy http://localhost:4200\` beside it instead`,
    );
  }
  const build = workspace.projects[project].architect?.build?.builder;
  if (build && !SERVABLE_BUILDS.test(build)) {
    throw new WorkspaceError(
      `project "${project}" builds with "${build}" (not the esbuild application builder), which @angular/build's dev server ` +
        `cannot serve; run \`ng-annotate serve --proxy http://localhost:4200\` beside ng serve instead`,
    );
  }
  const path = ['projects', project, 'architect', 'serve', 'builder'];
  return { text: replaceString(text, spans, path, OURS), changed: true, project, from };
}

/** The inverse: our builder back to the original (see originalBuilderFor). */
function restoreServeBuilder(text, { project: wanted } = {}) {
  const { value: workspace } = parseWithSpans(text);
  const projects = workspace.projects ?? {};
  const names = wanted ? [pickProject(workspace, wanted)] : Object.keys(projects);
  let out = text;
  const restored = [];
  for (const name of names) {
    if (projects[name].architect?.serve?.builder !== OURS) continue;
    const to = originalBuilderFor(projects[name]);
    // Same length or not, spans after this one move: re-parse per project.
    const current = parseWithSpans(out);
    out = replaceString(out, current.spans, ['projects', name, 'architect', 'serve', 'builder'], to);
    restored.push({ project: name, to });
  }
  return { text: out, changed: restored.length > 0, restored };
}

module.exports = { switchServeBuilder, restoreServeBuilder, originalBuilderFor, WorkspaceError, OURS, WRAPPABLE };
