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

Result<OpenedStore> OpenProjectStore(const std::optional<std::string>& root_flag);

}  // namespace nga::cli
