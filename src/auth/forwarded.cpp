#include "auth/forwarded.h"

#include <algorithm>

namespace nga::auth {

namespace {

// "::ffff:10.0.0.5" (an IPv4 peer on a dual-stack socket) -> "10.0.0.5".
std::string Plain(std::string address) {
  constexpr std::string_view kMapped = "::ffff:";
  if (address.rfind(kMapped, 0) == 0 && address.find('.') != std::string::npos) {
    address.erase(0, kMapped.size());
  }
  return address;
}

}  // namespace

bool TrustedProxies::Trusts(const std::string& remote_address) const {
  if (remote_address.empty()) return false;
  std::string peer = Plain(remote_address);
  return std::any_of(addresses_.begin(), addresses_.end(),
                     [&peer](const std::string& trusted) { return Plain(trusted) == peer; });
}

std::string TrustedProxies::Scheme(const net::HttpRequest& request) const {
  if (!Trusts(request.remote_address)) return "http";
  auto proto = request.Header("x-forwarded-proto");
  if (!proto) return "http";
  // A chain of proxies appends: the first is what the browser used.
  std::string first(proto->substr(0, proto->find(',')));
  first.erase(std::remove(first.begin(), first.end(), ' '), first.end());
  return first == "https" ? "https" : "http";
}

}  // namespace nga::auth
