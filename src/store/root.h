// Where the project is, by one rule everywhere (SPEC §3): the --root flag,
// else NG_ANNOTATE_PROJECT_ROOT, else the nearest ancestor of the working
// directory holding .git, else the working directory.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "util/result.h"

namespace nga {

struct ProjectPaths {
  std::filesystem::path root;       // absolute, normalised
  std::filesystem::path store_dir;  // <root>/.ng-annotate
  std::filesystem::path db_file;    // <root>/.ng-annotate/store.db
};

// The rule itself, with every input explicit (for tests).
std::filesystem::path ResolveRoot(const std::optional<std::string>& flag,
                                  const std::optional<std::string>& env,
                                  const std::filesystem::path& cwd);

// The rule applied to this process: env from NG_ANNOTATE_PROJECT_ROOT, cwd
// from the working directory. Fails if the chosen root is not a directory.
Result<ProjectPaths> ResolveProject(const std::optional<std::string>& flag);

// The relative path of `file` under `root`, with forward slashes; the path as
// given when it is not under root.
std::string RelativeToRoot(const std::filesystem::path& root, const std::filesystem::path& file);

}  // namespace nga
