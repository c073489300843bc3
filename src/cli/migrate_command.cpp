// `ng-annotate migrate --store URL`: brings a PostgreSQL store's schema up
// to date (every command also does it on open; this is for a deploy step
// that runs before the instances start). Idempotent: run it twice, the second
// run changes nothing. Without a PostgreSQL URL it migrates the project's
// SQLite store.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "store/pg_store.h"
#include "store/schema.h"

namespace nga::cli {

namespace {

int RunMigrate(const std::optional<std::string>& root, const StoreChoice& choice) {
  auto url = EffectiveStoreUrl(choice);
  if (!url) return Fail(url.error().message);
  if (!url->empty()) {
    auto version = MigratePostgresStore(*url);
    if (!version) return Fail(version.error().message);
    std::cout << "schema version " << *version << ": " << RedactUrl(*url) << "\n";
    return 0;
  }
  auto opened = OpenProjectStore(root, choice);
  if (!opened) return Fail(opened.error().message);
  std::cout << "schema version " << CurrentSchemaVersion() << ": " << opened->paths.db_file.string()
            << "\n";
  return 0;
}

}  // namespace

void AddMigrateCommand(CLI::App& app, Action& run) {
  auto* sub = app.add_subcommand("migrate", "bring the store's schema up to date (idempotent)");
  auto root = std::make_shared<std::optional<std::string>>();
  auto choice = std::make_shared<StoreChoice>();
  AddRootOption(sub, *root);
  sub->add_option("--store", choice->url,
                  "a postgres:// or postgresql:// URL (default: $NG_ANNOTATE_STORE, else "
                  "<root>/.ng-annotate/store.db)");
  sub->final_callback(
      [&run, root, choice] { run = [root, choice] { return RunMigrate(*root, *choice); }; });
}

}  // namespace nga::cli
