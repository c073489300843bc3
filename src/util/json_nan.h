// Finding NaN in parsed JSON.
//
// Boost.JSON 1.81 parses some valid number texts as NaN (0E831: zero times a
// power of ten that overflowed), and writes NaN back as `NaN`, which is not
// JSON. A value holding one would be stored and sent on as text that no
// reader can parse, so the places that take JSON from outside (browser
// frames, import files) refuse it instead. Infinity is fine: it is written
// as 1e99999, which reads back as itself.
#pragma once

#include <boost/json/value.hpp>

namespace nga {

// True when `value` or anything inside it is a NaN double.
bool ContainsNaN(const boost::json::value& value);

}  // namespace nga
