#include "net/access.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace nga::net {
namespace {

constexpr std::array<std::string_view, 3> kLoopbackNames{"localhost", "127.0.0.1", "[::1]"};

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsLoopbackName(std::string_view name) {
  return std::find(kLoopbackNames.begin(), kLoopbackNames.end(), name) != kLoopbackNames.end();
}

// What header values may hold: visible ASCII, no spaces.
bool IsPlainToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

// Shortens a client's header for our one-line reason.
std::string Shown(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 100)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return text.size() > 100 ? out + "..." : out;
}

// "http://Host:1234" -> {"http", "host:1234"}; nullopt unless scheme://authority.
struct Origin {
  std::string scheme;
  std::string authority;
};
std::optional<Origin> ParseOrigin(std::string_view text) {
  auto sep = text.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  std::string_view authority = text.substr(sep + 3);
  if (!authority.empty() && authority.back() == '/') authority.remove_suffix(1);
  if (!IsPlainToken(authority) || authority.find_first_of("/?#@") != std::string_view::npos ||
      HostName(authority).empty()) {
    return std::nullopt;  // e.g. "http://localhost:evil.com": no such port
  }
  return Origin{Lower(text.substr(0, sep)), Lower(authority)};
}

// "https://*.preview.example.com" allows "https://pr-12.preview.example.com":
// one whole label in place of the `*`, nothing else (not "a.b.preview…", not
// "preview.example.com" itself), the scheme and any port as written.
bool MatchesOrigin(std::string_view allowed, std::string_view origin) {
  if (allowed == origin) return true;
  auto star = allowed.find("://*.");
  if (star == std::string_view::npos) return false;
  std::string_view scheme = allowed.substr(0, star + 3);  // "https://"
  std::string_view suffix = allowed.substr(star + 4);     // ".preview.example.com"
  if (origin.substr(0, scheme.size()) != scheme) return false;
  std::string_view authority = origin.substr(scheme.size());
  if (authority.size() <= suffix.size() ||
      authority.substr(authority.size() - suffix.size()) != suffix) {
    return false;
  }
  std::string_view label = authority.substr(0, authority.size() - suffix.size());
  return label.find_first_of(".:[]*") == std::string_view::npos;
}

bool AnyMatches(const std::vector<std::string>& allowed, std::string_view origin) {
  return std::any_of(allowed.begin(), allowed.end(),
                     [origin](const std::string& entry) { return MatchesOrigin(entry, origin); });
}

}  // namespace

std::string HostName(std::string_view host_header) {
  if (!IsPlainToken(host_header)) return {};
  std::string_view name = host_header;
  std::string_view port;
  if (name.front() == '[') {
    auto close = name.find(']');
    if (close == std::string_view::npos) return {};
    port = name.substr(close + 1);
    if (!port.empty() && port.front() != ':') return {};
    name = name.substr(0, close + 1);
  } else {
    auto colon = name.find(':');
    if (colon != std::string_view::npos) {
      port = name.substr(colon);
      name = name.substr(0, colon);
    }
  }
  // ":1234" or nothing: "localhost:80@evil.com", "localhost:evil" and
  // "localhost:80/x" are not a loopback host with a port.
  if (!port.empty()) {
    port.remove_prefix(1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); })) {
      return {};
    }
  }
  if (name.empty() || name.find_first_of("/?#@") != std::string_view::npos) return {};
  return Lower(name);
}

void AccessPolicy::AllowHost(std::string_view host) {
  std::string name = HostName(host);
  if (!name.empty()) hosts_.push_back(std::move(name));
}

void AccessPolicy::AllowOrigin(std::string_view origin) {
  if (auto parsed = ParseOrigin(origin)) {
    origins_.push_back(parsed->scheme + "://" + parsed->authority);
  }
}

std::optional<std::string> AccessPolicy::Check(std::optional<std::string_view> host,
                                               std::optional<std::string_view> origin) const {
  if (!host || host->empty()) return "missing Host header";
  std::string name = HostName(*host);
  if (name.empty()) return fmt::format("malformed Host header '{}'", Shown(*host));
  if (!IsLoopbackName(name) && std::find(hosts_.begin(), hosts_.end(), name) == hosts_.end()) {
    return fmt::format("host '{}' is not allowed (loopback names only; see --allow-host)",
                       Shown(name));
  }
  if (!origin) return std::nullopt;

  auto parsed = ParseOrigin(*origin);
  if (!parsed) return fmt::format("origin '{}' is not allowed", Shown(*origin));
  // The page's own origin: we serve plain http only.
  if (parsed->scheme == "http" && parsed->authority == Lower(*host)) return std::nullopt;
  bool web_scheme = parsed->scheme == "http" || parsed->scheme == "https";
  if (!strict_origins_ && web_scheme && IsLoopbackName(HostName(parsed->authority))) {
    return std::nullopt;
  }
  std::string normal = parsed->scheme + "://" + parsed->authority;
  if (AnyMatches(origins_, normal)) return std::nullopt;
  if (registry_ && registry_->Contains(normal)) return std::nullopt;
  return fmt::format("origin '{}' is not allowed (see --allow-origin)", Shown(*origin));
}

std::optional<std::string> AccessPolicy::CheckOwnOrigin(
    std::optional<std::string_view> host, std::optional<std::string_view> origin) const {
  if (!origin) return std::nullopt;
  auto parsed = ParseOrigin(*origin);
  if (parsed && host && parsed->scheme == "http" && parsed->authority == Lower(*host) &&
      !HostName(parsed->authority).empty()) {
    return std::nullopt;
  }
  if (parsed) {
    std::string normal = parsed->scheme + "://" + parsed->authority;
    if (AnyMatches(origins_, normal)) return std::nullopt;
  }
  return fmt::format(
      "origin '{}' may not use /mcp (only the daemon's own origin and --allow-origin ones)",
      Shown(*origin));
}

std::optional<std::string> NormalizeOrigin(std::string_view origin) {
  auto parsed = ParseOrigin(origin);
  if (!parsed || (parsed->scheme != "http" && parsed->scheme != "https")) return std::nullopt;
  if (HostName(parsed->authority).empty()) return std::nullopt;
  return parsed->scheme + "://" + parsed->authority;
}

}  // namespace nga::net
