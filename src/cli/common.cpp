#include <iostream>

#include "cli/commands.h"

namespace nga::cli {

void AddRootOption(CLI::App* sub, std::optional<std::string>& root) {
  sub->add_option("--root", root,
                  "project root (default: $NG_ANNOTATE_PROJECT_ROOT, else the nearest "
                  "ancestor holding .git, else the nearest holding angular.json or "
                  "package.json, else the working directory)");
}

int Fail(const std::string& message) {
  std::cerr << "ng-annotate: " << message << "\n";
  return 1;
}

}  // namespace nga::cli

#include "cli/open_store.h"

namespace nga::cli {

Result<OpenedStore> OpenProjectStore(const std::optional<std::string>& root_flag) {
  auto paths = ResolveProject(root_flag);
  if (!paths) return paths.error();
  auto store = Store::Open(paths->db_file);
  if (!store) return store.error();
  return OpenedStore{std::move(*paths), std::move(*store)};
}

Result<OpenedStore> OpenExistingProjectStore(const std::optional<std::string>& root_flag) {
  auto paths = ResolveProject(root_flag);
  if (!paths) return paths.error();
  std::error_code ec;
  if (!std::filesystem::exists(paths->db_file, ec)) {
    return MakeError(ErrorCode::kNotFound,
                     "no ng-annotate store in " + paths->root.string() +
                         " yet (root: " + DescribeRootChoice(paths->choice) +
                         "); start `ng-annotate serve` or your dev server there first, or pass "
                         "--root DIR");
  }
  auto store = Store::Open(paths->db_file);
  if (!store) return store.error();
  return OpenedStore{std::move(*paths), std::move(*store)};
}

}  // namespace nga::cli
