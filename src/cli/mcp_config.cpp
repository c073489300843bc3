#include "cli/mcp_config.h"

#include <boost/json/parse.hpp>
#include <sstream>

#include "util/json_pretty.h"

namespace nga::cli {

namespace json = boost::json;

const char* McpClientName(McpClient client) {
  switch (client) {
    case McpClient::kClaude:
      return "Claude Code";
    case McpClient::kVsCode:
      return "VS Code";
    case McpClient::kCursor:
      return "Cursor";
    case McpClient::kGemini:
      return "Gemini CLI";
    case McpClient::kCodex:
      return "Codex";
  }
  return "";
}

bool IsUserLevel(McpClient client) { return client == McpClient::kCodex; }

std::filesystem::path McpConfigPath(McpClient client) {
  switch (client) {
    case McpClient::kClaude:
      return ".mcp.json";
    case McpClient::kVsCode:
      return std::filesystem::path(".vscode") / "mcp.json";
    case McpClient::kCursor:
      return std::filesystem::path(".cursor") / "mcp.json";
    case McpClient::kGemini:
      return std::filesystem::path(".gemini") / "settings.json";
    case McpClient::kCodex:
      return "config.toml";
  }
  return {};
}

std::optional<std::filesystem::path> CodexHome(const char* codex_home_env, const char* home_env) {
  if (codex_home_env && *codex_home_env) return std::filesystem::path(codex_home_env);
  if (home_env && *home_env) return std::filesystem::path(home_env) / ".codex";
  return std::nullopt;
}

McpServerEntry EntryFor(McpClient client, bool installed, const std::string& binary,
                        const std::string& root, const std::string& app, HostOs os) {
  if (!installed || IsUserLevel(client)) return {binary, {"mcp", "--root", root}};
  bool workspace_variable = client == McpClient::kVsCode || client == McpClient::kCursor;
  bool same = app.empty() || app == ".";
  std::string relative =
      workspace_variable ? "${workspaceFolder}" + (same ? "" : "/" + app) : (same ? "." : app);
  std::vector<std::string> args = {"ng-annotate", "mcp", "--root", relative};
  if (os == HostOs::kPosix) return {"npx", std::move(args)};
  args.insert(args.begin(), {"/c", "npx"});
  return {"cmd", std::move(args)};
}

namespace {

// Sets the "ng-annotate" server of the client's config to `server`.
Result<std::string> MergeServer(const std::optional<std::string>& existing, McpClient client,
                                json::object server) {
  std::string file = McpConfigPath(client).generic_string();
  json::object config;
  std::optional<json::value> before;
  if (existing && existing->find_first_not_of(" \t\r\n") != std::string::npos) {
    boost::system::error_code ec;
    json::value parsed = json::parse(*existing, ec);
    if (ec || !parsed.is_object()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       file + " is not a JSON object; fix or move it, then run init again");
    }
    before = parsed;
    config = std::move(parsed.get_object());
  }
  // VS Code names the map "servers"; Claude Code, Cursor and Gemini CLI "mcpServers".
  const char* map_key = client == McpClient::kVsCode ? "servers" : "mcpServers";
  json::value& servers = config[map_key];
  if (servers.is_null()) servers.emplace_object();
  if (!servers.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     file + ": \"" + map_key + "\" is not an object; fix it, then run init again");
  }
  servers.get_object()["ng-annotate"] = std::move(server);
  // Already what we would write (key order aside): the file stays as it is,
  // however it is laid out. A workspace's Prettier reformats what `ng add`
  // wrote (arrays on one line); init must not undo that and report a change.
  if (before && *before == json::value(config)) return *existing;
  return PrettyJson(config);
}

}  // namespace

Result<std::string> MergeMcpConfig(const std::optional<std::string>& existing, McpClient client,
                                   const McpServerEntry& entry) {
  if (client == McpClient::kCodex) {
    return MakeError(ErrorCode::kInvalidArgument, "Codex's config is TOML: use MergeCodexConfig");
  }
  json::object server;
  if (client == McpClient::kVsCode) server["type"] = "stdio";
  server["command"] = entry.command;
  json::array args;
  for (const auto& arg : entry.args) args.emplace_back(arg);
  server["args"] = std::move(args);
  return MergeServer(existing, client, std::move(server));
}

Result<std::string> MergeRemoteMcpConfig(const std::optional<std::string>& existing,
                                         McpClient client, const std::string& mcp_url) {
  std::string token;
  switch (client) {
    case McpClient::kClaude:
      token = std::string("${") + kTeamTokenEnv + "}";
      break;
    case McpClient::kVsCode:
    case McpClient::kCursor:
      token = std::string("${env:") + kTeamTokenEnv + "}";
      break;
    default:
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string("init --team writes Claude Code, VS Code and Cursor configs; "
                                   "for ") +
                           McpClientName(client) + ", add the remote server " + mcp_url +
                           " by hand with the header Authorization: Bearer $" + kTeamTokenEnv);
  }
  json::object server;
  if (client != McpClient::kCursor) server["type"] = "http";
  server["url"] = mcp_url;
  server["headers"] = json::object{{"Authorization", "Bearer " + token}};
  return MergeServer(existing, client, std::move(server));
}

std::string WithGitignoreEntry(const std::optional<std::string>& existing) {
  std::string text = existing.value_or("");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line == ".ng-annotate/" || line == ".ng-annotate" || line == "/.ng-annotate/" ||
        line == "/.ng-annotate") {
      return text;
    }
  }
  if (!text.empty() && text.back() != '\n') text += '\n';
  text += "# ng-annotate's local store\n.ng-annotate/\n";
  return text;
}

}  // namespace nga::cli
