// The small HTML page `serve --proxy` answers with when it cannot reach the
// upstream (502) or the upstream does not answer in time (504). It says
// which URL failed and why, and reloads itself once the upstream is back:
// it polls GET /__annotate/upstream (see proxy.h) every second and reloads
// when that says "up"; without JavaScript a meta refresh retries every 5 s.
#pragma once

#include <string>
#include <string_view>

namespace nga::net {

std::string UpstreamErrorPage(unsigned status, std::string_view upstream_url,
                              std::string_view error);

// `text` with &, <, >, " and ' escaped for HTML.
std::string HtmlEscape(std::string_view text);

}  // namespace nga::net
