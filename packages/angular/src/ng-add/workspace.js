'use strict';
// The angular.json switch, as pure functions over the file's text. The rules are
// written down in ../../README.md ("What ng add changes"), and `ng-annotate init`
// follows the same ones.
const { parseWithSpans } = require('./jsonc');

const OURS = '@ng-annotate/angular:dev-server';
const WRAPPABLE = ['@angular/build:dev-server', '@angular-devkit/build-angular:dev-server'];
// The builds our dev server serves: Angular's application builds (through
// @angular/build's dev server) and its webpack browser build (through
// @angular-devkit/build-angular's). Other webpack builders bring their own dev servers.
const SERVABLE_BUILDS = [
  '@angular/build:application',
  '@angular-devkit/build-angular:application',
  '@angular-devkit/build-angular:browser-esbuild',
  '@angular-devkit/build-angular:browser',
];

class WorkspaceError extends Error {}

const PROXY_HINT = 'serve it through `ng-annotate serve --proxy http://localhost:4200` instead';

/** Why `project` cannot be switched, or null when it can (or already is). */
function reasonNotToSwitch(project) {
  const serve = project.architect?.serve;
  if (!serve) return 'it has no serve target';
  if (serve.builder === OURS) return null;
  if (!WRAPPABLE.includes(serve.builder)) {
    return `its serve builder is ${serve.builder}; @ng-annotate/angular wraps ${WRAPPABLE.join(' or ')} only: ${PROXY_HINT}`;
  }
  const build = project.architect?.build?.builder ?? '';
  if (!SERVABLE_BUILDS.includes(build)) {
    return `its build target uses ${build || 'no builder'}; @ng-annotate/angular serves Angular's application builds and @angular-devkit/build-angular:browser only: ${PROXY_HINT}`;
  }
  return null;
}

/** The builder `init --remove` puts back: the dev server of the build target's package. */
function originalBuilderFor(project) {
  const build = project.architect?.build?.builder ?? '';
  return build.startsWith('@angular-devkit/build-angular:') ? '@angular-devkit/build-angular:dev-server' : '@angular/build:dev-server';
}

function projectsOf(workspace, wanted) {
  const projects = workspace.projects;
  if (typeof projects !== 'object' || projects === null || Array.isArray(projects)) {
    throw new WorkspaceError('this is not an Angular workspace (no "projects" object)');
  }
  if (wanted === undefined || wanted === null) return Object.keys(projects);
  if (!projects[wanted]) throw new WorkspaceError(`no project "${wanted}" in angular.json (it has: ${Object.keys(projects).join(', ') || 'none'})`);
  return [wanted];
}

/** `text` with the serve builder of each [project, newBuilder] replaced, last in the file first. */
function replaceBuilders(text, spans, edits) {
  const located = edits.map(([project, to]) => ({ to, span: spans.get(JSON.stringify(['projects', project, 'architect', 'serve', 'builder'])) }));
  located.sort((a, b) => b.span[0] - a.span[0]);
  let out = text;
  for (const { to, span } of located) out = out.slice(0, span[0]) + JSON.stringify(to) + out.slice(span[1]);
  return out;
}

/**
 * Switches architect.serve.builder to ours in the named project, or in every
 * project that can be switched; nothing else in the text changes.
 * @returns {{text: string, changes: {project, from, to}[], skipped: {project, reason}[], changed: boolean}}
 *   changes lists the switched projects and those already ours (from === to).
 */
function switchServeBuilder(text, { project: wanted } = {}) {
  const { value: workspace, spans } = parseWithSpans(text);
  const changes = [];
  const skipped = [];
  for (const name of projectsOf(workspace, wanted)) {
    const project = workspace.projects[name];
    const reason = reasonNotToSwitch(project);
    if (reason) {
      if (wanted || reason !== 'it has no serve target') skipped.push({ project: name, reason });
      continue;
    }
    changes.push({ project: name, from: project.architect.serve.builder, to: OURS });
  }
  const edits = changes.filter((c) => c.from !== OURS).map((c) => [c.project, OURS]);
  const out = edits.length ? replaceBuilders(text, spans, edits) : text;
  return { text: out, changes, skipped, changed: edits.length > 0 };
}

/** The inverse: our builder back to the original (see originalBuilderFor), in place. */
function restoreServeBuilder(text, { project: wanted } = {}) {
  const { value: workspace, spans } = parseWithSpans(text);
  const restored = [];
  for (const name of projectsOf(workspace, wanted)) {
    const project = workspace.projects[name];
    if (project.architect?.serve?.builder === OURS) restored.push({ project: name, to: originalBuilderFor(project) });
  }
  const out = restored.length ? replaceBuilders(text, spans, restored.map((r) => [r.project, r.to])) : text;
  return { text: out, changed: restored.length > 0, restored };
}

module.exports = { switchServeBuilder, restoreServeBuilder, originalBuilderFor, WorkspaceError, OURS, WRAPPABLE };
