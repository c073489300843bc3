'use strict';
// ng add @ng-annotate/angular: switch the project's serve builder to ours (every
// option and configuration kept), write the MCP config and the .gitignore line.
// Running it again changes nothing.
const { switchServeBuilder, WorkspaceError } = require('./workspace');
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
      if (error instanceof WorkspaceError || error.name === 'JsoncError' || error instanceof SyntaxError) fail(`angular.json: ${error.message}`);
      throw error;
    }
    if (result.changed) {
      write(tree, 'angular.json', result.text);
      context.logger.info(`ng-annotate: "${result.project}" now serves with @ng-annotate/angular:dev-server (was ${result.from}; every option kept)`);
    } else {
      context.logger.info(`ng-annotate: "${result.project}" already serves with @ng-annotate/angular:dev-server`);
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
