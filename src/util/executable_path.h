// The absolute path of the running binary: what `init` writes into the MCP
// configs when no npm package provides `npx ng-annotate`.
#pragma once

#include <filesystem>

#include "util/result.h"

namespace nga {

// Linux: /proc/self/exe; Windows: GetModuleFileNameW; macOS:
// _NSGetExecutablePath. An error says why it could not be found.
Result<std::filesystem::path> ExecutablePath();

}  // namespace nga
