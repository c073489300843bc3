// The SQL of the store's list queries, in one place so that a test can ask
// SQLite for their plans (EXPLAIN QUERY PLAN) and check that they use an
// index rather than scan every annotation. Internal to src/store and tests.
#pragma once

#include <cstddef>
#include <string>

namespace nga {

// The WHERE clause of an annotation filter (empty when unfiltered): binds
// ?1 = session id, ?2 = status, ?3/?4 = the cursor's createdAt and id.
std::string AnnotationFilterWhere(bool by_session, bool by_status, bool after_cursor);
// Store::ListAnnotations, oldest first; binds as AnnotationFilterWhere.
// limit 0: no limit.
std::string ListAnnotationsSql(bool by_session, bool by_status, bool after_cursor = false,
                               std::size_t limit = 0);
// Store::ListWaitingWork: binds ?1 = session id when by_session.
std::string WaitingWorkSql(bool by_session, std::size_t limit = 0);

}  // namespace nga
