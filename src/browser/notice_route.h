// POST /__annotate/notice/foreign-overlay: the overlay found ng-annotate-mcp's
// overlay (<nga-overlay>) on a page and stayed off there (client/src/coexist.js).
//
//   request  the page's URL as the body (text, cut at 2 KiB)
//   answer   204, and one line on stderr per page, at most kMaxPagesTold pages
//
// Under `serve --proxy` (and the plain script tag) stderr is the developer's
// terminal, so that is where the dev log says it; the dev-server integrations
// answer this path themselves, in their own log. The Host and Origin were
// checked by the server's AccessPolicy like every /__annotate request.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "net/server.h"

namespace nga::browser {

inline constexpr std::string_view kForeignOverlayNoticePath = "/__annotate/notice/foreign-overlay";
inline constexpr std::size_t kMaxPagesTold = 64;

// The line logged for `page` (a page URL from the browser: anything outside
// printable ASCII becomes '?', so a page cannot write to the terminal).
std::string ForeignOverlayNotice(std::string_view page);

// `log` gets each line (without a newline); on the server's thread.
void AddNoticeRoute(net::HttpServer& server, std::function<void(const std::string&)> log);

}  // namespace nga::browser
