// Export and import in ng-annotate-mcp's store.json shape:
//   {"sessions": {id: Session}, "annotations": {id: Annotation},
//    "lastAgentHeartbeat"?: ISO time}
// so that a store can move between the two tools. A round trip keeps every field.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>

#include "store/store.h"

namespace nga {

Result<boost::json::object> ExportStore(Store& store);

struct ImportCounts {
  std::size_t sessions = 0;
  std::size_t annotations = 0;
};

// Validates the whole document first and writes it in one transaction:
// either all of it is imported or nothing is.
Result<ImportCounts> ImportStore(Store& store, const boost::json::value& document);

}  // namespace nga
