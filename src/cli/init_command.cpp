// `init`: points the project's MCP clients at this binary and keeps the
// store out of git. Running it twice changes nothing.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/mcp_config.h"
#include "store/root.h"

namespace nga::cli {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Writes beside, then renames: an editor or client never reads half a file.
Status WriteFile(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  fs::path temp = path;
  temp += ".ng-annotate-tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) return MakeError(ErrorCode::kIo, "cannot write " + temp.string());
  }
  fs::rename(temp, path, ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot write " + path.string() + ": " + ec.message());
  return Ok{};
}

// Writes `text` to root/relative unless it already holds exactly that, and
// says which it was.
Status Apply(const fs::path& root, const fs::path& relative, const std::optional<std::string>& old,
             const std::string& text) {
  const char* verb = !old ? "created" : *old == text ? "unchanged" : "updated";
  if (!old || *old != text) {
    if (auto ok = WriteFile(root / relative, text); !ok) return ok;
  }
  std::cout << "  " << verb << "  " << relative.generic_string() << "\n";
  return Ok{};
}

struct InitOptions {
  std::optional<std::string> root;
  std::optional<std::string> client;
};

int RunInit(const InitOptions& options) {
  std::vector<McpClient> clients;
  if (!options.client) {
    // Claude Code always; VS Code and Cursor when the project already uses them.
    clients.push_back(McpClient::kClaude);
  } else if (*options.client == "claude") {
    clients = {McpClient::kClaude};
  } else if (*options.client == "vscode") {
    clients = {McpClient::kVsCode};
  } else if (*options.client == "cursor") {
    clients = {McpClient::kCursor};
  } else if (*options.client == "all") {
    clients = {McpClient::kClaude, McpClient::kVsCode, McpClient::kCursor};
  } else {
    std::cerr << "ng-annotate: --client must be claude, vscode, cursor or all\n";
    return 2;
  }
  auto project = ResolveProject(options.root);
  if (!project) return Fail(project.error().message);
  const fs::path& root = project->root;
  if (!options.client) {
    std::error_code ec;
    if (fs::is_directory(root / ".vscode", ec)) clients.push_back(McpClient::kVsCode);
    if (fs::is_directory(root / ".cursor", ec)) clients.push_back(McpClient::kCursor);
  }

  std::error_code ec;
  fs::path binary = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return Fail("cannot find this binary's path: " + ec.message());
  McpServerEntry entry{binary.string(), {"mcp", "--root", root.string()}};

  // Check every file before writing any: a bad one leaves all untouched.
  std::vector<std::pair<fs::path, std::pair<std::optional<std::string>, std::string>>> writes;
  for (McpClient client : clients) {
    fs::path relative = McpConfigPath(client);
    auto old = ReadFile(root / relative);
    auto merged = MergeMcpConfig(old, client, entry);
    if (!merged) return Fail(merged.error().message);
    writes.push_back({relative, {old, *merged}});
  }
  auto gitignore = ReadFile(root / ".gitignore");
  writes.push_back({".gitignore", {gitignore, WithGitignoreEntry(gitignore)}});

  std::cout << "ng-annotate init in " << root.string() << "\n";
  for (const auto& [relative, texts] : writes) {
    if (auto ok = Apply(root, relative, texts.first, texts.second); !ok) {
      return Fail(ok.error().message);
    }
  }
  std::cout << "\nNext:\n"
            << "  1. Start the daemon beside your dev server: " << binary.string()
            << " serve --root " << root.string() << "\n"
            << "  2. Restart your agent so it loads the ng-annotate MCP server";
  for (size_t i = 0; i < clients.size(); ++i) {
    std::cout << (i == 0 ? " (" : ", ") << McpClientName(clients[i]);
  }
  std::cout << "),\n     then ask it to run the start-polling prompt.\n"
            << "  3. In the app press Alt+Shift+A, click a component and type the change.\n";
  return 0;
}

}  // namespace

void AddInitCommand(CLI::App& app, Action& run) {
  auto options = std::make_shared<InitOptions>();
  auto* init = app.add_subcommand(
      "init", "write the MCP client configs for this project and ignore .ng-annotate/ in git");
  AddRootOption(init, options->root);
  init->add_option("--client", options->client,
                   "claude, vscode, cursor or all (default: claude, plus vscode and cursor when "
                   "the project has a .vscode or .cursor directory)");
  init->final_callback([&run, options] { run = [options] { return RunInit(*options); }; });
}

}  // namespace nga::cli
