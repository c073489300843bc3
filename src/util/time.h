// Wall-clock time as milliseconds since the Unix epoch, and its ISO-8601 form.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace nga {

using Millis = std::int64_t;

// Where the store gets "now" from; tests inject a settable clock.
using Clock = std::function<Millis()>;

// The system clock.
Millis SystemNowMillis();

// "2026-11-26T15:20:38.123Z" (UTC, milliseconds, trailing Z).
std::string FormatIso8601(Millis ms);

// Parses the form FormatIso8601 writes, also without milliseconds, or with an
// offset "+hh:mm". nullopt when the text is not such a timestamp.
std::optional<Millis> ParseIso8601(std::string_view text);

}  // namespace nga
