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

#include <cstdlib>

#include "cli/open_store.h"
#include "store/pg.h"
#include "store/pg_store.h"

namespace nga::cli {

void AddStoreOptions(CLI::App* sub, StoreChoice& choice) {
  sub->add_option("--store", choice.url,
                  "the store: a postgres:// or postgresql:// URL for a team's PostgreSQL "
                  "(default: $NG_ANNOTATE_STORE, else <root>/.ng-annotate/store.db)");
  sub->add_option("--project", choice.project,
                  "the project key every row and query is scoped to (default: `default` in "
                  "PostgreSQL, the root directory's name in the project's SQLite store)");
}

Result<std::string> EffectiveStoreUrl(const StoreChoice& choice) {
  std::string url;
  if (choice.url) {
    url = *choice.url;
  } else if (const char* env = std::getenv("NG_ANNOTATE_STORE")) {
    url = env;
  }
  if (url.empty() || pg::IsPostgresUrl(url)) return url;
  return MakeError(ErrorCode::kInvalidArgument,
                   "--store / NG_ANNOTATE_STORE must be a postgres:// or postgresql:// URL (got " +
                       RedactUrl(url) + "); leave it out for the project's own SQLite store");
}

Result<std::unique_ptr<Store>> OpenChosenStore(const ProjectPaths& paths, const StoreChoice& choice,
                                               StoreOptions options) {
  auto url = EffectiveStoreUrl(choice);
  if (!url) return url.error();
  if (!url->empty()) {
    return OpenPostgresStore(*url, choice.project.value_or(kDefaultPostgresProject),
                             std::move(options));
  }
  if (choice.project) options.project = *choice.project;
  return Store::Open(paths.db_file, std::move(options));
}

Result<OpenedStore> OpenProjectStore(const std::optional<std::string>& root_flag,
                                     const StoreChoice& choice) {
  auto paths = ResolveProject(root_flag);
  if (!paths) return paths.error();
  auto store = OpenChosenStore(*paths, choice);
  if (!store) return store.error();
  return OpenedStore{std::move(*paths), std::move(*store)};
}

Result<OpenedStore> OpenExistingProjectStore(const std::optional<std::string>& root_flag,
                                             const StoreChoice& choice) {
  auto paths = ResolveProject(root_flag);
  if (!paths) return paths.error();
  auto url = EffectiveStoreUrl(choice);
  if (!url) return url.error();
  std::error_code ec;
  if (url->empty() && !std::filesystem::exists(paths->db_file, ec)) {
    return MakeError(ErrorCode::kNotFound,
                     "no ng-annotate store in " + paths->root.string() +
                         " yet (root: " + DescribeRootChoice(paths->choice) +
                         "); start `ng-annotate serve` or your dev server there first, or pass "
                         "--root DIR");
  }
  auto store = OpenChosenStore(*paths, choice);
  if (!store) return store.error();
  return OpenedStore{std::move(*paths), std::move(*store)};
}

}  // namespace nga::cli
