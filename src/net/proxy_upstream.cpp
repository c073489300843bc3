#include "net/proxy_upstream.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace nga::net {
namespace {

Error Bad(std::string_view text, std::string_view why) {
  return MakeError(
      ErrorCode::kInvalidArgument,
      fmt::format("--proxy '{}': {} (expected e.g. http://localhost:4200)", text, why));
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

Result<Upstream> ParseUpstream(std::string_view text) {
  std::string_view rest = text;
  if (auto sep = rest.find("://"); sep != std::string_view::npos) {
    std::string scheme = Lower(rest.substr(0, sep));
    if (scheme == "https") {
      return Bad(text,
                 "https upstreams are not supported; use the dev server's plain http address");
    }
    if (scheme != "http") return Bad(text, fmt::format("unsupported scheme '{}'", scheme));
    rest.remove_prefix(sep + 3);
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty()) return Bad(text, "no host");
  if (rest.find_first_of("/?#") != std::string_view::npos) {
    return Bad(text, "a path is not supported; give only scheme, host and port");
  }
  if (rest.find('@') != std::string_view::npos) return Bad(text, "user info is not supported");
  if (std::any_of(rest.begin(), rest.end(),
                  [](unsigned char c) { return c <= 0x20 || c >= 0x7f; })) {
    return Bad(text, "spaces or control characters in the host");
  }

  Upstream up;
  std::string_view host, port;
  if (rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return Bad(text, "unclosed '[' in the IPv6 address");
    host = rest.substr(1, close - 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Bad(text, "junk after the IPv6 address");
      port = after.substr(1);
    }
  } else {
    auto colon = rest.find(':');
    host = rest.substr(0, colon);
    if (colon != std::string_view::npos) port = rest.substr(colon + 1);
  }
  if (host.empty()) return Bad(text, "no host");
  if (!port.empty() || rest.ends_with(':')) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) {
      return Bad(text, fmt::format("bad port '{}'", port));
    }
    up.port = static_cast<std::uint16_t>(value);
  }
  up.host = Lower(host);
  bool v6 = up.host.find(':') != std::string::npos;
  std::string shown = v6 ? "[" + up.host + "]" : up.host;
  up.host_header = up.port == 80 ? shown : fmt::format("{}:{}", shown, up.port);
  up.origin = "http://" + up.host_header;
  up.url = up.origin;
  return up;
}

}  // namespace nga::net
