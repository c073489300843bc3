// Who may talk to the daemon (SPEC §4, §6). A port that feeds instructions to
// an agent must refuse pages from other sites (checked by Origin) and DNS
// rebinding (a foreign name resolving to 127.0.0.1, checked by Host).
//
// Checked on every HTTP request and WebSocket upgrade, before routing.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/origin_registry.h"

namespace nga::net {

class AccessPolicy {
 public:
  // Allowed Host names besides the loopback ones (localhost, 127.0.0.1,
  // [::1]). A port, if given, is ignored: "myhost:8080" allows "myhost".
  void AllowHost(std::string_view host);
  // Allowed Origins besides loopback ones and the request's own:
  // "https://dev.example.com:8443" (scheme://host[:port], case-insensitive).
  // A leading "*." label is a pattern for per-branch preview hosts:
  // "https://*.preview.example.com" allows "https://pr-12.preview.example.com"
  // (exactly one label in its place; same scheme and port).
  void AllowOrigin(std::string_view origin);
  // `serve --strict-origins` (C1): loopback origins no longer pass by
  // themselves; only the request's own origin, allowed and registered ones.
  void SetStrictOrigins(bool strict) { strict_origins_ = strict; }
  // Origins added at run time pass too. Copies of this policy share it.
  void UseRegistry(std::shared_ptr<const OriginRegistry> registry) {
    registry_ = std::move(registry);
  }

  // nullopt when the request may proceed, else a one-line reason for the
  // 403. `host` is the Host header (required), `origin` the Origin header
  // when present. An Origin passes when it is the same origin as the Host
  // (what a page served through this host sends), a loopback origin, or an
  // allowed one; "null" never passes.
  std::optional<std::string> Check(std::optional<std::string_view> host,
                                   std::optional<std::string_view> origin) const;

  // The stricter rule of /mcp: an Origin, when present, must be the daemon's
  // own (http://<Host>) or an allowed one; loopback origins of other ports do
  // not pass. Agents send no Origin; browsers always do on POST.
  std::optional<std::string> CheckOwnOrigin(std::optional<std::string_view> host,
                                            std::optional<std::string_view> origin) const;

 private:
  std::vector<std::string> hosts_;
  std::vector<std::string> origins_;
  bool strict_origins_ = false;
  std::shared_ptr<const OriginRegistry> registry_;
};

// "HTTP://Dev.Example:8443/" -> "http://dev.example:8443": the form origins
// are compared in. nullopt unless it is http(s)://authority with nothing else.
std::optional<std::string> NormalizeOrigin(std::string_view origin);

// The name part of a Host header value, lowercased: "LocalHost:80" ->
// "localhost", "[::1]:4747" -> "[::1]". Empty when malformed.
std::string HostName(std::string_view host_header);

}  // namespace nga::net
