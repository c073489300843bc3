// What `ng-annotate init` writes: the ng-annotate entry in each MCP client's
// project config, merged into what is there, and the .gitignore line. Pure
// functions over file contents, so they are tested without a disk.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace nga::cli {

enum class McpClient { kClaude, kVsCode, kCursor };

// "Claude Code", "VS Code", "Cursor".
const char* McpClientName(McpClient client);
// The config file of a client, relative to the project root:
// .mcp.json, .vscode/mcp.json, .cursor/mcp.json.
std::filesystem::path McpConfigPath(McpClient client);

// The server entry: how the client starts `ng-annotate mcp`.
struct McpServerEntry {
  std::string command;            // absolute path of the binary
  std::vector<std::string> args;  // {"mcp", "--root", <root>}
};

// The config text with the "ng-annotate" server set to `entry`. Every other
// key and server in `existing` is kept as it was. Fails (and nothing should
// be written) when `existing` is not a JSON object or its server map is not
// an object. `existing` empty or nullopt: a new file.
Result<std::string> MergeMcpConfig(const std::optional<std::string>& existing, McpClient client,
                                   const McpServerEntry& entry);

// The .gitignore text with a `.ng-annotate/` line, added only if no line
// already ignores that directory.
std::string WithGitignoreEntry(const std::optional<std::string>& existing);

}  // namespace nga::cli
