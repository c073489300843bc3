'use strict';
// The MCP entry and .gitignore line ng add writes, merged into what is there.
// The same entry `ng-annotate init` writes when @ng-annotate/cli is installed:
// committed with the project, it works on every machine that ran npm install.

const ENTRY = { command: 'npx', args: ['ng-annotate', 'mcp', '--root', '.'] };

class ConfigError extends Error {}

function sameEntry(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** .mcp.json text with the ng-annotate server merged in; other servers kept. */
function mergeMcpJson(text) {
  let config = {};
  if (text != null && text.trim() !== '') {
    try {
      config = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`.mcp.json is not valid JSON (${error.message}); fix or remove it, then run ng add again`);
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new ConfigError('.mcp.json is not a JSON object; fix or remove it, then run ng add again');
    }
  }
  const servers = config.mcpServers ?? {};
  if (typeof servers !== 'object' || Array.isArray(servers)) throw new ConfigError('.mcp.json: "mcpServers" is not an object');
  if (sameEntry(servers['ng-annotate'], ENTRY)) return { text, changed: false };
  config.mcpServers = { ...servers, 'ng-annotate': ENTRY };
  return { text: `${JSON.stringify(config, null, 2)}\n`, changed: true };
}

/** .gitignore text with `.ng-annotate/` in it. */
function mergeGitignore(text) {
  const present = new Set(['.ng-annotate/', '.ng-annotate', '/.ng-annotate/', '/.ng-annotate']);
  if ((text ?? '').split('\n').some((l) => present.has(l.replace(/\r$/, '')))) return { text, changed: false };
  const base = text ?? '';
  const sep = base === '' || base.endsWith('\n') ? '' : '\n';
  return { text: `${base}${sep}# ng-annotate's local store\n.ng-annotate/\n`, changed: true };
}

module.exports = { mergeMcpJson, mergeGitignore, ConfigError, ENTRY };
