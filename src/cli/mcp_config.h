// What `ng-annotate init` writes: the ng-annotate entry in each MCP client's
// config, merged into what is there, and the .gitignore line. Pure functions
// over file contents, so they are tested without a disk.
//
// Where each client reads its servers (from the clients' own docs):
//   Claude Code  .mcp.json               {"mcpServers": {name: {command, args}}}
//   VS Code      .vscode/mcp.json        {"servers": {name: {"type": "stdio", command, args}}}
//   Cursor       .cursor/mcp.json        {"mcpServers": {name: {command, args}}}
//   Gemini CLI   .gemini/settings.json   {"mcpServers": {name: {command, args}}}
//   Codex        ~/.codex/config.toml    [mcp_servers.<name>] command = "…" args = […]
//                (user-level: $CODEX_HOME/config.toml when CODEX_HOME is set)
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace nga::cli {

enum class McpClient { kClaude, kVsCode, kCursor, kGemini, kCodex };

// "Claude Code", "VS Code", "Cursor", "Gemini CLI", "Codex".
const char* McpClientName(McpClient client);
// Codex's config is the user's, not the project's: it is not committed and
// one entry serves whichever project it points at.
bool IsUserLevel(McpClient client);
// The config file of a project-level client, relative to the project root:
// .mcp.json, .vscode/mcp.json, .cursor/mcp.json, .gemini/settings.json.
// For Codex: the file name under its home, "config.toml".
std::filesystem::path McpConfigPath(McpClient client);
// Codex's home: $CODEX_HOME, else $HOME/.codex (nullopt when neither is set).
std::optional<std::filesystem::path> CodexHome(const char* codex_home_env, const char* home_env);

// The server entry: how the client starts `ng-annotate mcp`.
struct McpServerEntry {
  std::string command;            // absolute path of the binary, or "npx"
  std::vector<std::string> args;  // {"mcp", "--root", <root>} or {"ng-annotate", "mcp", …}
};

// The OS a config is written for. On Windows `npx` is npx.cmd, a batch
// script, and the clients start servers without a shell, so a bare "npx"
// fails there (Claude Code warns "Windows requires 'cmd /c' wrapper to
// execute npx"; the MCP servers' own READMEs give the same form): the entry
// becomes `cmd /c npx ng-annotate mcp …`. The absolute .exe needs nothing.
enum class HostOs { kPosix, kWindows };
#if defined(_WIN32)
constexpr HostOs kThisHostOs = HostOs::kWindows;
#else
constexpr HostOs kThisHostOs = HostOs::kPosix;
#endif

// How the entry is written for one client.
//   installed: the project has the @ng-annotate/cli npm package, so the entry
//     is `npx ng-annotate mcp` with a root the config names relative to where
//     the client runs it: "." for the clients that start servers in the
//     project directory (Claude Code, Gemini CLI), "${workspaceFolder}" (the
//     directory holding .vscode/ or .cursor/) for VS Code and Cursor. Such a
//     file can be committed.
//   not installed, or a user-level config (Codex): the absolute path of this
//     binary and of the root.
// `app`: the app's directory relative to where the config is written ("."
// when the same; "apps/web" in a monorepo whose git root is above the app's
// package.json), so that the server opens the store the app's integration
// keeps (SPEC §3); `root` is then that directory's absolute path.
// `os`: on Windows, npx is a .cmd script that the clients cannot spawn
// directly, so the installed entry is `cmd /c npx ng-annotate mcp …`.
McpServerEntry EntryFor(McpClient client, bool installed, const std::string& binary,
                        const std::string& root, const std::string& app = ".",
                        HostOs os = kThisHostOs);
// The same for the app at the root itself, on `os`.
inline McpServerEntry EntryFor(McpClient client, bool installed, const std::string& binary,
                               const std::string& root, HostOs os) {
  return EntryFor(client, installed, binary, root, ".", os);
}

// The JSON config text with the "ng-annotate" server set to `entry`. Every
// other key and server in `existing` is kept as it was. Fails (and nothing
// should be written) when `existing` is not a JSON object or its server map
// is not an object. `existing` empty or nullopt: a new file. Not for Codex.
Result<std::string> MergeMcpConfig(const std::optional<std::string>& existing, McpClient client,
                                   const McpServerEntry& entry);

// Team mode (issue 20): the environment variable the agent's token is read
// from. Never the token itself in a file that may be committed.
inline constexpr const char* kTeamTokenEnv = "NG_ANNOTATE_TOKEN";

// The config text with the "ng-annotate" server set to the team server's
// remote /mcp at `mcp_url`, its Authorization header naming kTeamTokenEnv in
// the client's own syntax (from each client's docs):
//   Claude Code  {"type": "http", "url", "headers": {"Authorization": "Bearer
//   ${NG_ANNOTATE_TOKEN}"}} VS Code      {"type": "http", "url", "headers": {"Authorization":
//   "Bearer ${env:NG_ANNOTATE_TOKEN}"}} Cursor       {"url", "headers": {"Authorization": "Bearer
//   ${env:NG_ANNOTATE_TOKEN}"}}
// Other clients: kInvalidArgument. Merging as MergeMcpConfig.
Result<std::string> MergeRemoteMcpConfig(const std::optional<std::string>& existing,
                                         McpClient client, const std::string& mcp_url);

// Codex's config.toml with the table [mcp_servers.ng-annotate] set to
// `entry` (command and args); every other line of `existing`, comments and
// the table's own sub-tables (such as [mcp_servers.ng-annotate.env]) included,
// is kept byte for byte. Fails, writing nothing, when the server is defined
// in a form this small editor does not rewrite (twice, inline or dotted).
Result<std::string> MergeCodexConfig(const std::optional<std::string>& existing,
                                     const McpServerEntry& entry);

// The .gitignore text with a `.ng-annotate/` line, added only if no line
// already ignores that directory.
std::string WithGitignoreEntry(const std::optional<std::string>& existing);

}  // namespace nga::cli
