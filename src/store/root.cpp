#include "store/root.h"

#include <fmt/format.h>

#include <cstdlib>
#include <system_error>

#include "util/utf8.h"

namespace nga {

namespace fs = std::filesystem;

RootChoice ChooseRoot(const std::optional<std::string>& flag, const std::optional<std::string>& env,
                      const fs::path& cwd) {
  auto absolute = [&](const fs::path& p) {
    return (p.is_absolute() ? p : cwd / p).lexically_normal();
  };
  if (flag && !flag->empty()) return {absolute(*flag), RootSource::kFlag, ""};
  if (env && !env->empty()) return {absolute(*env), RootSource::kEnv, ""};
  // The nearest directory holding one of `markers`, first marker first.
  auto nearest = [&](std::initializer_list<const char*> markers) -> std::optional<RootChoice> {
    std::error_code ec;
    for (fs::path dir = cwd.lexically_normal(); !dir.empty(); dir = dir.parent_path()) {
      for (const char* marker : markers) {
        if (fs::exists(dir / marker, ec)) {
          return RootChoice{dir, *marker == '.' ? RootSource::kGit : RootSource::kPackage, marker};
        }
      }
      if (dir == dir.parent_path()) break;
    }
    return std::nullopt;
  };
  if (auto git = nearest({".git"})) return *git;
  if (auto package = nearest({"angular.json", "package.json"})) return *package;
  return {cwd.lexically_normal(), RootSource::kWorkingDirectory, ""};
}

fs::path ResolveRoot(const std::optional<std::string>& flag, const std::optional<std::string>& env,
                     const fs::path& cwd) {
  return ChooseRoot(flag, env, cwd).root;
}

std::string DescribeRootChoice(const RootChoice& choice) {
  switch (choice.source) {
    case RootSource::kFlag:
      return "from --root";
    case RootSource::kEnv:
      return "from NG_ANNOTATE_PROJECT_ROOT";
    case RootSource::kGit:
    case RootSource::kPackage:
      return "the nearest directory holding " + choice.marker;
    case RootSource::kWorkingDirectory:
      break;
  }
  return "the working directory (no .git, angular.json or package.json above it)";
}

Result<ProjectPaths> ResolveProject(const std::optional<std::string>& flag) {
  std::optional<std::string> env;
  if (const char* value = std::getenv("NG_ANNOTATE_PROJECT_ROOT")) env = value;
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot read the working directory: " + ec.message());
  RootChoice choice = ChooseRoot(flag, env, cwd);
  fs::path root = choice.root;
  // Strip a trailing separator so paths built from it look clean.
  if (root.has_relative_path() && root.filename().empty()) root = root.parent_path();
  if (!fs::is_directory(root, ec)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "project root " + root.string() + " is not a directory");
  }
  // Every path we report is JSON (the listening line, /health, tool
  // results), and JSON strings are UTF-8.
  if (!IsValidUtf8(root.string())) {
    std::string shown;
    for (unsigned char c : root.string()) {
      shown += c >= 0x20 && c < 0x7f ? std::string(1, static_cast<char>(c))
                                     : fmt::format("\\x{:02x}", c);
    }
    return MakeError(ErrorCode::kInvalidArgument,
                     "project root " + shown +
                         " is not valid UTF-8; rename it, or pass a UTF-8 path with --root");
  }
  ProjectPaths paths;
  paths.root = root;
  choice.root = root;
  paths.choice = choice;
  paths.store_dir = root / ".ng-annotate";
  paths.db_file = paths.store_dir / "store.db";
  return paths;
}

std::string RelativeToRoot(const fs::path& root, const fs::path& file) {
  fs::path relative = file.lexically_normal().lexically_relative(root.lexically_normal());
  if (relative.empty() || *relative.begin() == "..") return file.generic_string();
  return relative.generic_string();
}

}  // namespace nga
