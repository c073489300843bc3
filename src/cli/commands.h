// The CLI is a table of subcommands over the library (see main.cpp). Each
// Add*Command registers its subcommand and its options on `app`; when the
// user picks it, it sets `run` to the action, which returns the exit code:
// 0 success, 2 usage error, 1 anything else (one clear line on stderr).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

namespace nga::cli {

using Action = std::function<int()>;

void AddStatusCommands(CLI::App& app, Action& run);   // status, list
void AddExportCommands(CLI::App& app, Action& run);   // export, import
void AddServeCommand(CLI::App& app, Action& run);     // serve
void AddMcpCommand(CLI::App& app, Action& run);       // mcp
void AddInitCommand(CLI::App& app, Action& run);      // init
void AddManifestCommand(CLI::App& app, Action& run);  // manifest
void AddWatchCommand(CLI::App& app, Action& run);     // watch
void AddMigrateCommand(CLI::App& app, Action& run);   // migrate
void AddTokenCommand(CLI::App& app, Action& run);     // token create|list|revoke|link

// Adds the shared `--root DIR` option to a subcommand.
void AddRootOption(CLI::App* sub, std::optional<std::string>& root);

// Prints "ng-annotate: <message>" on stderr and returns 1.
int Fail(const std::string& message);

}  // namespace nga::cli
