// Which forwarded headers to believe (issue 20): behind a reverse proxy that
// terminates TLS, the request reaches us over plain HTTP from the proxy, and
// only the proxy can say the browser used https. `serve --trust-proxy ADDR`
// names the proxies whose X-Forwarded-Proto is believed; from any other
// peer the header is ignored, so a client cannot claim https (or anything
// else) for itself.
#pragma once

#include <string>
#include <vector>

#include "net/http.h"

namespace nga::auth {

class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Addresses as the TCP peer shows them: "10.0.0.5", "::1" (no ranges).
  explicit TrustedProxies(std::vector<std::string> addresses) : addresses_(std::move(addresses)) {}

  bool Trusts(const std::string& remote_address) const;
  // "https" when a trusted proxy says so in X-Forwarded-Proto, else "http"
  // (this server speaks plain HTTP itself).
  std::string Scheme(const net::HttpRequest& request) const;

 private:
  std::vector<std::string> addresses_;
};

}  // namespace nga::auth
