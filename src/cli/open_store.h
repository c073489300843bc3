// Shared by the CLI subcommands: resolve the project and open its store.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "store/root.h"
#include "store/store.h"

namespace nga::cli {

struct OpenedStore {
  ProjectPaths paths;
  std::unique_ptr<Store> store;
};

// Opens the project's store, creating it when there is none yet (serve, mcp,
// watch, import: commands that are about to use it).
Result<OpenedStore> OpenProjectStore(const std::optional<std::string>& root_flag);

// For the read-only commands (status, list, export): opens the store only
// when it exists, and otherwise fails with a message that names the root it
// looked in, so a command run in the wrong directory leaves no .ng-annotate/
// behind.
Result<OpenedStore> OpenExistingProjectStore(const std::optional<std::string>& root_flag);

}  // namespace nga::cli
