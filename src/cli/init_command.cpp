// `init`: points the project's MCP clients at ng-annotate, keeps the store
// out of git, in an Angular workspace switches `ng serve` to our builder, and
// prints the next steps for the kind of project it finds. Running it twice
// changes nothing; `init --remove` puts the original serve builder back.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/angular_workspace.h"
#include "cli/commands.h"
#include "cli/mcp_config.h"
#include "cli/project_kind.h"
#include "store/root.h"
#include "util/executable_path.h"

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

// One file init may write: where, what it holds now, what it should hold.
struct PlannedWrite {
  fs::path path;      // absolute
  std::string shown;  // how it is named in the output
  std::optional<std::string> old;
  std::string text;
  std::string note;  // said after the file's name
};

// Writes it unless it already holds exactly that, and says which it was.
Status Apply(const PlannedWrite& write) {
  const char* verb = !write.old ? "created" : *write.old == write.text ? "unchanged" : "updated";
  if (!write.old || *write.old != write.text) {
    if (auto ok = WriteFile(write.path, write.text); !ok) return ok;
  }
  std::cout << "  " << verb << "  " << write.shown << (write.note.empty() ? "" : "  ") << write.note
            << "\n";
  return Ok{};
}

struct InitOptions {
  std::optional<std::string> root;
  std::optional<std::string> client;
  std::optional<std::string> project;
  bool remove = false;
  // --team URL: the agent configs point at the team server's remote /mcp.
  std::optional<std::string> team;
};

// --client: a comma-separated list of claude, vscode, cursor, gemini, codex,
// or all (every project-level client; Codex, whose config is the user's, only
// when named).
std::optional<std::vector<McpClient>> ParseClients(const std::string& text) {
  std::vector<McpClient> clients;
  auto add = [&](McpClient client) {
    for (McpClient c : clients)
      if (c == client) return;
    clients.push_back(client);
  };
  std::stringstream list(text);
  for (std::string name; std::getline(list, name, ',');) {
    if (name == "claude") {
      add(McpClient::kClaude);
    } else if (name == "vscode") {
      add(McpClient::kVsCode);
    } else if (name == "cursor") {
      add(McpClient::kCursor);
    } else if (name == "gemini") {
      add(McpClient::kGemini);
    } else if (name == "codex") {
      add(McpClient::kCodex);
    } else if (name == "all") {
      for (McpClient c :
           {McpClient::kClaude, McpClient::kVsCode, McpClient::kCursor, McpClient::kGemini})
        add(c);
    } else {
      return std::nullopt;
    }
  }
  if (clients.empty()) return std::nullopt;
  return clients;
}

// In a monorepo the git root (where init writes the MCP configs, as the
// agent runs there) is above the app: the app is the nearest directory from
// the working directory up to, not including, the git root that holds
// angular.json or package.json, the directory its integration hands the
// daemon (SPEC §3). Only when the root came from .git: --root and
// NG_ANNOTATE_PROJECT_ROOT name the project as they are.
std::optional<fs::path> AppBelowGitRoot(const RootChoice& choice, const fs::path& cwd) {
  if (choice.source != RootSource::kGit) return std::nullopt;
  std::error_code ec;
  fs::path root = choice.root.lexically_normal();  // an ancestor of cwd: found from it
  for (fs::path dir = cwd.lexically_normal(); !dir.empty() && dir != root;
       dir = dir.parent_path()) {
    if (fs::exists(dir / "angular.json", ec) || fs::exists(dir / "package.json", ec)) return dir;
    if (dir == dir.parent_path()) break;
  }
  return std::nullopt;
}

void PrintBuilderChanges(const WorkspaceEdit& edit) {
  for (const auto& change : edit.changes) {
    if (change.from == change.to) {
      std::cout << "     project " << change.project << ": serve already uses " << change.to
                << "\n";
    } else {
      std::cout << "     project " << change.project << ": serve builder " << change.from << " -> "
                << change.to << " (options and configurations kept)\n";
    }
  }
  for (const auto& skip : edit.skipped) {
    std::cout << "     project " << skip.project << ": left as it is, " << skip.reason << "\n";
  }
}

int RunRemove(const InitOptions& options, const ProjectPaths& project) {
  std::error_code ec;
  fs::path app = AppBelowGitRoot(project.choice, fs::current_path(ec)).value_or(project.root);
  fs::path file = app / "angular.json";
  auto text = ReadFile(file);
  std::cout << "ng-annotate init --remove in " << project.root.string()
            << " (root: " << DescribeRootChoice(project.choice) << ")\n";
  if (!text) {
    std::cout << "  no angular.json here: no serve builder to put back\n";
    return 0;
  }
  auto edit = RestoreServeBuilders(*text, options.project);
  if (!edit) return Fail(edit.error().message);
  if (auto ok = Apply({file, "angular.json", text, edit->text, ""}); !ok) {
    return Fail(ok.error().message);
  }
  PrintBuilderChanges(*edit);
  if (edit->changes.empty())
    std::cout << "     no project's serve target uses " << kNgAnnotateDevServer << "\n";
  std::cout << "\nThe MCP configs and .gitignore are left as they are; delete their "
               "\"ng-annotate\" entries by hand if you no longer want them.\n";
  return 0;
}

// The one line for the app's framework and where it goes (SPEC §9), or that
// it is there already.
void PrintIntegration(const Integration& integration, bool installed) {
  if (integration.configured) {
    std::cout << integration.config_file << " already loads " << integration.package
              << ": run your dev server as usual.\n";
    return;
  }
  if (!installed) {
    std::cout << "Install it: npm i -D " << integration.package << " @ng-annotate/cli\n     "
              << "(until they are on npm: the tarballs `make dist` builds)\n     ";
  }
  std::cout << integration.framework << " app. Add it to " << integration.config_file << ":\n";
  if (!integration.import_line.empty()) std::cout << "       " << integration.import_line << "\n";
  std::cout << "       " << integration.line << "\n"
            << "     then run your dev server as usual.\n";
}

// init --team URL (issue 20): the agents' configs name the team server's
// /mcp, with the token read from $NG_ANNOTATE_TOKEN by the agent itself, so
// the files can be committed and hold no secret. Nothing else is touched:
// the app is the team's preview deployment, not a local dev server.
int RunTeamInit(const InitOptions& options, const fs::path& root,
                const std::vector<McpClient>& clients) {
  std::string url = *options.team;
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
    std::cerr << "ng-annotate: --team must be the team server's URL, e.g. "
                 "https://annotate.example.com\n";
    return 2;
  }
  if (url.size() < 4 || url.substr(url.size() - 4) != "/mcp") url += "/mcp";
  std::vector<PlannedWrite> writes;
  for (McpClient client : clients) {
    fs::path relative = McpConfigPath(client);
    auto old = ReadFile(root / relative);
    auto merged = MergeRemoteMcpConfig(old, client, url);
    if (!merged) return Fail(merged.error().message);
    writes.push_back({root / relative, relative.generic_string(), old, *merged, ""});
  }
  std::cout << "ng-annotate init --team in " << root.string() << ": the agents use " << url << "\n";
  for (const auto& write : writes) {
    if (auto ok = Apply(write); !ok) return Fail(ok.error().message);
  }
  std::cout << "\nThe entries read the token from $" << kTeamTokenEnv
            << " and hold none: commit them.\nNext:\n"
               "  1. An admin makes each agent its token: ng-annotate token create --store URL "
               "--project P --role agent --name NAME\n"
               "  2. Put it in the agent's environment (never in a file you commit): export "
            << kTeamTokenEnv
            << "=nga_…\n"
               "  3. Restart the agent and ask it to run the start-polling prompt.\n";
  return 0;
}

int RunInit(const InitOptions& options) {
  std::optional<std::vector<McpClient>> chosen;
  if (options.client) {
    chosen = ParseClients(*options.client);
    if (!chosen) {
      std::cerr << "ng-annotate: --client must be claude, vscode, cursor, gemini, codex or all "
                   "(or a comma-separated list of them)\n";
      return 2;
    }
  }
  auto project = ResolveProject(options.root);
  if (!project) return Fail(project.error().message);
  if (options.remove) return RunRemove(options, *project);
  const fs::path& root = project->root;
  std::vector<McpClient> clients;
  std::error_code ec;
  if (options.team) {
    if (chosen) {
      clients = *chosen;
    } else {
      clients = {McpClient::kClaude};
      if (fs::is_directory(root / ".vscode", ec)) clients.push_back(McpClient::kVsCode);
      if (fs::is_directory(root / ".cursor", ec)) clients.push_back(McpClient::kCursor);
    }
    return RunTeamInit(options, root, clients);
  }
  if (chosen) {
    clients = *chosen;
  } else {
    // Claude Code always; the others when the project already uses them.
    clients.push_back(McpClient::kClaude);
    if (fs::is_directory(root / ".vscode", ec)) clients.push_back(McpClient::kVsCode);
    if (fs::is_directory(root / ".cursor", ec)) clients.push_back(McpClient::kCursor);
    if (fs::is_directory(root / ".gemini", ec)) clients.push_back(McpClient::kGemini);
  }
  // The app: the root, or in a monorepo the app's directory below it.
  std::error_code cwd_ec;
  fs::path app = root;
  if (auto below = AppBelowGitRoot(project->choice, fs::current_path(cwd_ec))) app = *below;
  std::string app_relative = app == root ? "." : RelativeToRoot(root, app);
  ProjectKind kind = DetectProject(app);

  auto found = ExecutablePath();
  if (!found) return Fail(found.error().message);
  fs::path binary = *found;
  // What the printed commands run.
  std::string command = kind.cli_package ? "npx ng-annotate" : binary.string();

  // Check every file before writing any: a bad one leaves all untouched.
  std::vector<PlannedWrite> writes;
  bool user_level = false;
  for (McpClient client : clients) {
    McpServerEntry entry =
        EntryFor(client, kind.cli_package, binary.string(), app.string(), app_relative);
    if (client == McpClient::kCodex) {
      // Windows has no HOME by default; Codex uses the user's profile there.
      const char* home_env = std::getenv("HOME");
      if (!home_env || !*home_env) home_env = std::getenv("USERPROFILE");
      auto home = CodexHome(std::getenv("CODEX_HOME"), home_env);
      if (!home) {
        return Fail("cannot find Codex's config: neither CODEX_HOME nor HOME (USERPROFILE) is set");
      }
      fs::path file = *home / McpConfigPath(client);
      auto old = ReadFile(file);
      auto merged = MergeCodexConfig(old, entry);
      if (!merged) return Fail(file.string() + ": " + merged.error().message);
      writes.push_back({file, file.string(), old, *merged, "(Codex, user-level)"});
      user_level = true;
      continue;
    }
    fs::path relative = McpConfigPath(client);
    auto old = ReadFile(root / relative);
    auto merged = MergeMcpConfig(old, client, entry);
    if (!merged) return Fail(merged.error().message);
    writes.push_back({root / relative, relative.generic_string(), old, *merged, ""});
  }
  auto gitignore = ReadFile(root / ".gitignore");
  writes.push_back(
      {root / ".gitignore", ".gitignore", gitignore, WithGitignoreEntry(gitignore), ""});
  std::optional<WorkspaceEdit> angular;
  std::string angular_json = app == root ? "angular.json" : app_relative + "/angular.json";
  if (kind.angular) {
    auto text = ReadFile(app / "angular.json");
    auto edit = SwitchServeBuilders(text.value_or(""), options.project);
    if (!edit) return Fail(edit.error().message);
    writes.push_back({app / "angular.json", angular_json, text, edit->text, ""});
    angular = std::move(*edit);
  }

  std::cout << "ng-annotate init in " << root.string()
            << " (root: " << DescribeRootChoice(project->choice)
            << "; pass --root DIR for another)\n";
  if (app != root) {
    std::cout << "The app is " << app_relative << " (the nearest directory holding "
              << (fs::exists(app / "angular.json", cwd_ec) ? "angular.json" : "package.json")
              << " below the git root): its integration keeps the store in " << app_relative
              << "/.ng-annotate, and the MCP entries name it with --root.\n";
  }
  for (const auto& write : writes) {
    if (auto ok = Apply(write); !ok) return Fail(ok.error().message);
    if (angular && write.shown == angular_json) PrintBuilderChanges(*angular);
  }

  std::cout << "\n";
  if (kind.cli_package) {
    std::cout << "The MCP entries run `npx ng-annotate mcp` with a relative root "
                 "(@ng-annotate/cli is installed): commit them with the project.\n";
  } else {
    std::cout << "The MCP entries name this binary and this root by absolute path, because "
                 "node_modules has no @ng-annotate/cli: they work on this machine, but are not "
                 "for committing. `npm i -D @ng-annotate/cli` and run init again to make them "
                 "`npx ng-annotate mcp`.\n";
  }
  if (user_level) {
    std::cout << "Codex reads only your user-level config: its ng-annotate entry now points at "
              << app.string()
              << " in every project you open with Codex; run `init --client codex` in another "
                 "project to point it there.\n";
  }

  std::cout << "\nNext:\n  1. ";
  bool proxy = !kind.angular && kind.integration.proxy;
  if (angular) {
    if (!angular->changes.empty()) {
      if (!kind.angular_package) {
        std::cout << "Install the builder: npm i -D @ng-annotate/angular @ng-annotate/cli\n     "
                     "(until they are on npm: the tarballs `make dist` builds)\n     ";
      }
      std::cout << "Run `ng serve` as usual: the builder starts ng-annotate and puts the overlay "
                   "in the page.\n";
    } else {
      std::cout << "No project here can use @ng-annotate/angular (see above); serve through the "
                   "proxy instead:\n     ";
      proxy = true;
      kind.dev_server_port = 4200;
      kind.dev_server = "Angular CLI";
    }
  } else if (!kind.integration.proxy) {
    PrintIntegration(kind.integration, kind.integration_package);
  }
  if (proxy) {
    std::string port = kind.dev_server_port ? std::to_string(kind.dev_server_port) : "PORT";
    std::cout << "Start your dev server, then put ng-annotate in front of it:\n"
              << "       " << command << " serve --proxy http://localhost:" << port << "\n"
              << "     and open the address it prints instead of the dev server's ("
              << (kind.dev_server.empty() ? "PORT: your dev server's port"
                                          : kind.dev_server + "'s usual port")
              << ").\n";
  }
  std::cout << "  2. Restart your agent so it loads the ng-annotate MCP server";
  for (size_t i = 0; i < clients.size(); ++i) {
    std::cout << (i == 0 ? " (" : ", ") << McpClientName(clients[i]);
  }
  std::cout << "),\n     then ask it to run the start-polling prompt.\n";
  for (McpClient client : clients) {
    if (client != McpClient::kClaude) continue;
    std::cout << "     Claude Code asks once to approve the project's .mcp.json server (or list "
                 "it in\n     .claude/settings.local.json: {\"enabledMcpjsonServers\": "
                 "[\"ng-annotate\"]}).\n";
  }
  std::cout << "  3. In the app press Alt+Shift+A, click a component and type the change.\n"
            << "     `" << command << " watch` shows each annotation and the agent's replies "
            << "as they happen.\n";
  return 0;
}

}  // namespace

void AddInitCommand(CLI::App& app, Action& run) {
  auto options = std::make_shared<InitOptions>();
  auto* init = app.add_subcommand(
      "init",
      "write the MCP client configs for this project, ignore .ng-annotate/ in git, and in an "
      "Angular workspace switch `ng serve` to @ng-annotate/angular");
  AddRootOption(init, options->root);
  init->add_option("--client", options->client,
                   "claude, vscode, cursor, gemini, codex or all, or a comma-separated list "
                   "(default: claude, plus vscode, cursor and gemini when the project has a "
                   ".vscode, .cursor or .gemini directory; all = every project-level one, codex "
                   "writes your user-level ~/.codex/config.toml and only when named)");
  init->add_option("--project", options->project,
                   "Angular workspace: switch only this project's serve target (default: all)");
  init->add_flag("--remove", options->remove,
                 "put the original serve builder back in angular.json");
  init->add_option("--team", options->team,
                   "point the agents at a team server's /mcp (e.g. https://annotate.example.com), "
                   "the token read from $NG_ANNOTATE_TOKEN; Claude Code, VS Code and Cursor");
  init->final_callback([&run, options] { run = [options] { return RunInit(*options); }; });
}

}  // namespace nga::cli
