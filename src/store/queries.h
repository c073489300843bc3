// The SQL of the store's list queries, in one place so that a test can ask
// SQLite for their plans (EXPLAIN QUERY PLAN) and check that they use an
// index rather than scan every annotation. Internal to src/store and tests.
#pragma once

#include <string>

namespace nga {

// Store::ListAnnotations: binds ?1 = session id, ?2 = status, when filtered.
std::string ListAnnotationsSql(bool by_session, bool by_status);
// Store::ListWaitingWork: binds ?1 = session id when by_session.
std::string WaitingWorkSql(bool by_session);

}  // namespace nga
