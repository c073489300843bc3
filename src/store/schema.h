// The store's schema, as numbered migrations tracked in PRAGMA user_version.
#pragma once

#include <string>
#include <string_view>

#include "store/sqlite.h"

namespace nga {

// The schema version this binary writes.
int CurrentSchemaVersion();

// Applies the missing migrations in one transaction. Refuses a database whose
// version is newer than this binary's. `default_project` becomes the store's
// default project if it has none recorded yet (see DefaultProject).
Status Migrate(sql::Database& db, std::string_view default_project);

// For tests: applies the migrations up to `target` only.
Status MigrateTo(sql::Database& db, int target, std::string_view default_project);

// The schema version that gave every row a project key.
int ProjectKeySchemaVersion();

// The project a store serves when none is named: recorded in the store when
// it was created (the root directory's name then).
Result<std::string> DefaultProject(sql::Database& db);

}  // namespace nga
