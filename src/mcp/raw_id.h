// JSON-RPC ids echoed exactly as the client wrote them.
//
// A numeric id such as 12345678901234567890123, 9007199254740993, 1e400, -0
// or 1.50 does not survive a trip through a double (or through Boost.JSON's
// serializer, which writes 1.5E0): JSON-RPC says the response carries the
// same id, so we keep the id token's source text and write it back.
//
// Representation: a numeric id whose text would not come back unchanged is
// held in the json::value as a string of kRawIdTag followed by the raw text.
// The tag is a byte that never occurs in UTF-8, and the parser refuses
// strings that are not UTF-8, so no client's string id can look like one.
// Everything that only copies or compares ids keeps working on json::value;
// SerializeMessage() is the one place that turns the tag back into the number.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace nga::mcp {

inline constexpr char kRawIdTag = '\xff';

// A json::value standing for the number whose JSON text is `text`.
boost::json::value RawNumberId(std::string_view text);
// The JSON number text of a RawNumberId, or nullopt for any other value.
std::optional<std::string_view> RawNumberText(const boost::json::value& id);

// Rewrites the "id" of `message` (an object) or of each object in it (a batch),
// and its "params"."requestId" (notifications/cancelled names an id by it), to
// a RawNumberId when its number text, as found in `text` (the source `message`
// was parsed from), would not serialize back to the same characters.
void KeepRawNumberIds(std::string_view text, boost::json::value& message);

// json::serialize, except that the "id" of a message (or of each message in a
// batch) that is a RawNumberId is written as its raw number text.
std::string SerializeMessage(const boost::json::value& message);

}  // namespace nga::mcp
