// Shared by the CLI subcommands: resolve the project and open its store.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "store/root.h"
#include "store/store.h"

namespace CLI {
class App;
}

namespace nga::cli {

// Which store a command uses: --store URL (else $NG_ANNOTATE_STORE) and
// --project NAME. No URL keeps the project's <root>/.ng-annotate/store.db; a
// postgres:// or postgresql:// URL picks PostgreSQL. --project scopes every
// row and query to one project: by default `default` in PostgreSQL and, in
// the SQLite file, the root directory's name (as recorded when the file was
// created: store/schema.h).
struct StoreChoice {
  std::optional<std::string> url;
  std::optional<std::string> project;
};

// Adds --store and --project to a subcommand.
void AddStoreOptions(CLI::App* sub, StoreChoice& choice);

// The URL in effect (flag › NG_ANNOTATE_STORE), empty for the SQLite default;
// an error for a URL that names no store we know.
Result<std::string> EffectiveStoreUrl(const StoreChoice& choice);

struct OpenedStore {
  ProjectPaths paths;
  std::unique_ptr<Store> store;
};

// Opens the store `choice` names for the project at paths (PostgreSQL, or
// the SQLite file under paths, created when missing).
Result<std::unique_ptr<Store>> OpenChosenStore(const ProjectPaths& paths, const StoreChoice& choice,
                                               StoreOptions options = {});

// Opens the project's store, creating it when there is none yet (serve, mcp,
// watch, import: commands that are about to use it).
Result<OpenedStore> OpenProjectStore(const std::optional<std::string>& root_flag,
                                     const StoreChoice& choice = {});

// For the read-only commands (status, list, export): opens the store only
// when it exists, and otherwise fails with a message that names the root it
// looked in, so a command run in the wrong directory leaves no .ng-annotate/
// behind. (A PostgreSQL store is always there to open.)
Result<OpenedStore> OpenExistingProjectStore(const std::optional<std::string>& root_flag,
                                             const StoreChoice& choice = {});

}  // namespace nga::cli
