// Indented JSON for files people read and edit (MCP client configs).
// Boost.JSON only writes compact JSON.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace nga {

// Two-space indentation, keys in their stored order, a trailing newline.
std::string PrettyJson(const boost::json::value& value);

}  // namespace nga
