// What the overlay captures from the page beside the clicked element (issue
// 18): the page's log (console errors and warnings, uncaught errors and
// unhandled rejections, failed requests), a curated set of the element's
// computed styles, and its ARIA role and accessible name.
//
// All of it is text the page wrote, so a hostile page controls it. It is
// stored as data, bounded, and never returned by list answers (see
// kDetailOnlyFields in model.h).
//
// The policy on limits: a wrong shape (not an object, a list that is not a
// list, an unknown level) is a broken client and gets a clear error, like any
// other field. Too much text is page noise that the user did not choose, so it
// never costs them their request: a string over its limit is cut and ends
// with kPageTextCut, a list keeps its newest kPageLogEntries entries, and a
// log still over kPageLogBytes loses its oldest entries; `dropped` counts
// what was left out. Unknown keys inside entries are dropped.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <string_view>

#include "util/result.h"

namespace nga::limits {

// Entries of each list of the page log (console, errors, requests).
inline constexpr std::size_t kPageLogEntries = 50;
// A console message, or an error's message.
inline constexpr std::size_t kPageLogMessageChars = 2000;
// An error's stack.
inline constexpr std::size_t kPageLogStackChars = 4000;
// A request's URL.
inline constexpr std::size_t kPageLogUrlChars = 2048;
// Short fields of an entry: a method, a network error, a time, a source.
inline constexpr std::size_t kPageLogShortChars = 256;
// The whole log as stored JSON.
inline constexpr std::size_t kPageLogBytes = 64 * 1024;
// Computed styles: properties, a property name, a value.
inline constexpr std::size_t kComputedStyleEntries = 80;
inline constexpr std::size_t kComputedStyleNameChars = 64;
inline constexpr std::size_t kComputedStyleValueChars = 256;
// The accessible role and name.
inline constexpr std::size_t kAccessibleRoleChars = 64;
inline constexpr std::size_t kAccessibleNameChars = 500;
// Ends a page string that was cut at its limit (the result is within it).
inline constexpr std::string_view kPageTextCut = "…[truncated]";

}  // namespace nga::limits

namespace nga {

// pageLog: {console:[{level, message, time?}], errors:[{kind, message,
// stack?, source?, time?}], requests:[{kind, method?, url, status?, error?,
// time?}], dropped?:{console, errors, requests}}. level is "error"|"warn",
// an error's kind "error"|"rejection", a request's "fetch"|"xhr"|"resource".
Result<boost::json::object> ValidatePageLog(const boost::json::value& log);

// computedStyles: {property: value} with lowercase CSS property names.
Result<boost::json::object> ValidateComputedStyles(const boost::json::value& styles);

// accessibility: {role?, name?}.
Result<boost::json::object> ValidateAccessibility(const boost::json::value& accessibility);

}  // namespace nga
