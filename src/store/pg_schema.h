// The PostgreSQL store's schema, as numbered migrations tracked in the
// nga_schema table. Every table is named nga_* (the database may hold other
// applications' tables) and every row carries its project key.
#pragma once

#include "store/pg.h"

namespace nga::pg {

// The schema version this binary writes.
int CurrentSchemaVersion();

// Applies the missing migrations in one transaction, under an advisory lock
// so that several instances starting at once migrate exactly once. Refuses a
// database whose version is newer than this binary's. Idempotent.
Status Migrate(Connection& conn);

}  // namespace nga::pg
