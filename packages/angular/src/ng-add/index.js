'use strict';
// ng add @ng-annotate/angular: switch the project's serve builder to ours (every
// option and configuration kept), write the MCP config and the .gitignore line.
// Running it again changes nothing.
const { switchServeBuilder, WorkspaceError, OURS } = require('./workspace');
const { JsoncError } = require('./jsonc');
const { mergeMcpJson, mergeGitignore, ConfigError } = require('./mcp-config');

function read(tree, file) {
  const buf = tree.read(file);
  return buf == null ? null : buf.toString('utf8');
}

function write(tree, file, text) {
  if (tree.exists(file)) tree.overwrite(file, text);
  else tree.create(file, text);
}

/** The schematic's factory; `SchematicsException` is the workspace's own when it is there. */
function ngAdd(options = {}) {
  return (tree, context) => {
    const fail = (message) => {
      let Exception = Error;
      try {
        ({ SchematicsException: Exception } = require('@angular-devkit/schematics'));
      } catch {
        // plain Error then
      }
      throw new Exception(message);
    };
    const workspaceText = read(tree, 'angular.json');
    if (workspaceText == null) fail('no angular.json here: run ng add @ng-annotate/angular in an Angular workspace');
    let result;
    try {
      result = switchServeBuilder(workspaceText, { project: options.project });
    } catch (error) {
      if (error instanceof WorkspaceError || error instanceof JsoncError || error instanceof SyntaxError) fail(`angular.json: ${error.message}`);
      throw error;
    }
    for (const { project, reason } of result.skipped) context.logger.warn(`ng-annotate: "${project}" left as it is: ${reason}`);
    if (result.changes.length === 0) {
      const why = result.skipped.map((s) => `"${s.project}": ${s.reason}`).join('; ');
      fail(`no project of angular.json can be served through ${OURS} (${why || 'none has a serve target'})`);
    }
    if (result.changed) write(tree, 'angular.json', result.text);
    for (const { project, from } of result.changes) {
      context.logger.info(
        from === OURS
          ? `ng-annotate: "${project}" already serves with ${OURS}`
          : `ng-annotate: "${project}" now serves with ${OURS} (was ${from}; every option kept)`,
      );
    }
    let mcp;
    try {
      mcp = mergeMcpJson(read(tree, '.mcp.json'));
    } catch (error) {
      if (error instanceof ConfigError) fail(error.message);
      throw error;
    }
    if (mcp.changed) write(tree, '.mcp.json', mcp.text);
    const ignore = mergeGitignore(read(tree, '.gitignore'));
    if (ignore.changed) write(tree, '.gitignore', ignore.text);
    context.logger.info('ng-annotate: run ng serve, open the app, press Alt+Shift+A; agents find the server in .mcp.json');
    return tree;
  };
}

module.exports = { ngAdd };
