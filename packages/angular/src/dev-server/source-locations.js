'use strict';
// Template source locations in `ng serve` only. Angular's compiler can put
// `data-ng-source-location="src/app/x/x.html@o:31,l:1,c:2"` (0-based line and
// column in the template) on every element a template renders, when the
// program's angularCompilerOptions say `enableTemplateSourceLocations: true`
// (Angular 22 emits ɵɵattachSourceLocations for it). The overlay reads it
// (client/src/context/stamp.js) as the annotation's sourceLocation: the
// clicked element's line and column, not the component class's line.
//
// The user's tsconfig is left alone: the build target's `tsConfig`, as this
// dev server reads it, becomes `.ng-annotate/tsconfig.<project>.json`, which
// extends it and adds only that option. `ng build` never sees it. A compiler
// that does not know the option ignores it (the class line is used then).
const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');

/** The text of the derived tsconfig next to `dir`, extending `original` (absolute). */
function derivedTsconfig(dir, original) {
  let extendsPath = path.relative(dir, original).split(path.sep).join('/');
  if (!extendsPath.startsWith('.')) extendsPath = `./${extendsPath}`;
  return `${JSON.stringify({
    // Written by @ng-annotate/angular for `ng serve`: template source locations.
    extends: extendsPath,
    angularCompilerOptions: { enableTemplateSourceLocations: true },
  }, null, 2)}\n`;
}

/**
 * Makes `context.getTargetOptions` hand the dev server a build target whose
 * tsConfig asks for template source locations. On any error it says so once
 * and leaves the options as they were.
 */
function askForSourceLocations(context, root, log) {
  const read = context.getTargetOptions.bind(context);
  let told = false;
  context.getTargetOptions = async (target) => {
    const options = await read(target);
    if (!options || typeof options.tsConfig !== 'string') return options;
    try {
      const dir = path.join(root, '.ng-annotate');
      const name = `tsconfig.${String(target.project || 'app').replace(/[^\w.-]/g, '_')}.json`;
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, name), derivedTsconfig(dir, path.resolve(root, options.tsConfig)));
      return { ...options, tsConfig: path.join('.ng-annotate', name) };
    } catch (error) {
      if (!told) {
        told = true;
        log.warn(`[ng-annotate] cannot ask Angular for template source locations (${error.message}): ` +
          "annotations point at the component class's line instead.");
      }
      return options;
    }
  };
}

module.exports = { askForSourceLocations, derivedTsconfig };
