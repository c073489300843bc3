// Where the project is, by one rule everywhere (SPEC §3): the --root flag,
// else NG_ANNOTATE_PROJECT_ROOT, else the nearest ancestor of the working
// directory holding .git, else (a project not in git yet) the nearest one
// holding angular.json or package.json, else the working directory.
//
// The package.json step is what `init` needs so that, run in src/ of a
// project without .git, it does not write into src/; every command uses the
// same rule so that `serve`, `mcp`, `watch` and `status` run from that same
// directory agree with what `init` chose.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "util/result.h"

namespace nga {

// How the root was chosen, for the line `init` prints.
enum class RootSource { kFlag, kEnv, kGit, kPackage, kWorkingDirectory };

struct RootChoice {
  std::filesystem::path root;
  RootSource source = RootSource::kWorkingDirectory;
  std::string marker;  // kGit / kPackage: ".git", "angular.json" or "package.json"
};

// "from --root", "from NG_ANNOTATE_PROJECT_ROOT", "the nearest directory holding
// package.json", "the working directory (no .git, angular.json or
// package.json above it)".
std::string DescribeRootChoice(const RootChoice& choice);

struct ProjectPaths {
  std::filesystem::path root;       // absolute, normalised
  RootChoice choice;                // how root was found
  std::filesystem::path store_dir;  // <root>/.ng-annotate
  std::filesystem::path db_file;    // <root>/.ng-annotate/store.db
};

// The rule itself, with every input explicit (for tests).
RootChoice ChooseRoot(const std::optional<std::string>& flag, const std::optional<std::string>& env,
                      const std::filesystem::path& cwd);
// ChooseRoot(...).root.
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
