'use strict';
// Finds the modules this builder runs on. @angular/build and architect are the
// workspace's own (its Angular version, not one of ours); the daemon code is the
// shared module of @ng-annotate/cli.
const { createRequire } = require('node:module');
const { existsSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

/** require() as seen from `dir` (a directory). */
function requireFrom(dir) {
  return createRequire(path.join(dir, 'noop.js'));
}

/** Resolves `request` from the first base directory that has it. */
function resolveFirst(request, bases) {
  for (const base of bases) {
    try {
      return requireFrom(base).resolve(request);
    } catch {
      // try the next base
    }
  }
  return null;
}

/** Directories to resolve the workspace's packages from, nearest first. */
function workspaceBases(workspaceRoot) {
  const bases = [];
  if (workspaceRoot) bases.push(workspaceRoot);
  bases.push(process.cwd());
  if (require.main?.filename) bases.push(path.dirname(require.main.filename));
  bases.push(__dirname);
  return bases;
}

/** Loads a package of the Angular workspace (e.g. '@angular/build'). */
function requireWorkspace(request, workspaceRoot) {
  const file = resolveFirst(request, workspaceBases(workspaceRoot));
  if (!file) {
    throw new Error(
      `cannot find ${request} from ${workspaceRoot ?? process.cwd()}: ` +
        `@ng-annotate/angular runs the workspace's own ${request}; install it (npm i -D ${request})`,
    );
  }
  return require(file);
}

/** The file of @ng-annotate/cli's shared daemon module. */
function daemonModuleFile(workspaceRoot) {
  const file = resolveFirst('@ng-annotate/cli/lib/daemon.js', [__dirname, ...workspaceBases(workspaceRoot)]);
  if (file) return file;
  // In this repository the two packages sit side by side.
  const sibling = path.resolve(__dirname, '../../../cli/lib/daemon.js');
  if (existsSync(sibling)) return sibling;
  throw new Error('cannot find @ng-annotate/cli (lib/daemon.js): install it beside @ng-annotate/angular (npm i -D @ng-annotate/cli)');
}

/** The shared daemon module (ESM), imported once. */
let daemonModule = null;
function loadDaemonModule(workspaceRoot) {
  daemonModule ??= import(pathToFileURL(daemonModuleFile(workspaceRoot)).href);
  return daemonModule;
}

module.exports = { requireWorkspace, loadDaemonModule, resolveFirst, workspaceBases };
