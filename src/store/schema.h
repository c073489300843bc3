// The store's schema, as numbered migrations tracked in PRAGMA user_version.
#pragma once

#include "store/sqlite.h"

namespace nga {

// The schema version this binary writes.
int CurrentSchemaVersion();

// Applies the missing migrations in one transaction. Refuses a database whose
// version is newer than this binary's.
Status Migrate(sql::Database& db);

}  // namespace nga
