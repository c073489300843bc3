// Where a string value sits in a JSON (or JSONC: comments and trailing
// commas, as angular.json allows) text, so that one value can be replaced
// and every other byte left exactly as the user or the Angular CLI wrote it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nga::cli {

// The byte range [begin, end) of the string value at `path` (object keys from
// the top), quotes included; nullopt when there is no string there or the
// text is not well-formed up to it.
std::optional<std::pair<std::size_t, std::size_t>> FindStringValue(
    std::string_view text, const std::vector<std::string>& path);

// The JSON string literal for `value` ("…", with \" \\ and control
// characters escaped).
std::string JsonStringLiteral(std::string_view value);

}  // namespace nga::cli
