// Validation of what clients send, with the limits of SPEC §3. Enforced by
// the store whatever the client did.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <string_view>

#include "util/result.h"

namespace nga::limits {

inline constexpr std::size_t kAnnotationTextChars = 10000;
inline constexpr std::size_t kDomSnapshotChars = 5000;
inline constexpr std::string_view kTruncatedMarker = "<!-- truncated -->";
inline constexpr std::size_t kInputsBytes = 64 * 1024;
inline constexpr std::size_t kDiffBytes = 1024 * 1024;
inline constexpr std::size_t kReplyChars = 10000;
// Any other string field of the payload (names, paths, selector, URL...).
inline constexpr std::size_t kShortFieldChars = 4096;
// Each free-form context object (boundingBox, viewport, sourceLocation,
// anchor...).
inline constexpr std::size_t kContextBytes = 16 * 1024;
// What one annotation's fields may weigh together, as stored JSON. Each field
// has its own limit; this one keeps a session's sync frame small enough to
// send (SPEC §4).
inline constexpr std::size_t kAnnotationBytes = 256 * 1024;
// Annotations one session may hold, terminal ones included. Past it, a create
// is refused until the user clears the session (annotations:clear).
inline constexpr std::size_t kAnnotationsPerSession = 2000;
// Replies one annotation may hold.
inline constexpr std::size_t kRepliesPerAnnotation = 200;

}  // namespace nga::limits

namespace nga {

// Checks a browser's annotation:create payload and returns the stored form:
// only known fields, defaults for missing optional ones, domSnapshot cut to
// its limit. Errors name the field and the limit.
Result<boost::json::object> ValidateAnnotationPayload(const boost::json::object& payload);

// A reply, summary or reason: non-empty after trim, ≤ kReplyChars, UTF-8.
Status ValidateMessage(std::string_view field, std::string_view message);

// A proposed diff: non-empty, ≤ kDiffBytes, UTF-8.
Status ValidateDiff(std::string_view diff);

// The checks of one field, shared by the payload's parts (elements.h,
// page_context.h) so that a field is refused the same way wherever it stands.
// Errors name `field` and the limit.

// The value for `key`, or nullptr when it is absent or null.
const boost::json::value* FindField(const boost::json::object& object, std::string_view key);

// A string: UTF-8, at most `max_chars` code points. Views into `value`.
Result<std::string_view> CheckString(std::string_view field, const boost::json::value& value,
                                     std::size_t max_chars);

// Any JSON kept as sent: every string in it (keys too) UTF-8, at most
// `max_bytes` as serialised JSON.
Status CheckStructured(std::string_view field, const boost::json::value& value,
                       std::size_t max_bytes);

// kLimitExceeded: "<field> is too long (the limit is <limit> <unit>)".
Error TooLong(std::string_view field, std::size_t limit, std::string_view unit);

}  // namespace nga
