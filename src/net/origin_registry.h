// Browser origins registered while the daemon runs (POST /__annotate/origins,
// C1): a second dev server that reuses a running daemon tells it its own
// origins. Shared between the AccessPolicy that checks requests and the route
// that adds to it; both run on the server's one thread.
//
// Bounded: past kMaxOrigins the least recently registered are dropped (a dev
// server names a handful; 120 000 registrations once grew the daemon by
// 27 MB and every check walked them all).
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nga::net {

class OriginRegistry {
 public:
  static constexpr std::size_t kMaxOrigins = 256;

  explicit OriginRegistry(std::size_t max_origins = kMaxOrigins) : max_origins_(max_origins) {}
  OriginRegistry(const OriginRegistry&) = delete;
  OriginRegistry& operator=(const OriginRegistry&) = delete;

  // Adds an origin already normalised by NormalizeOrigin (access.h), or makes
  // a known one the most recently registered again. Returns the origins that
  // made room for it (the least recently registered), to be logged.
  std::vector<std::string> Add(std::string normal_origin);
  bool Contains(std::string_view normal_origin) const;
  std::size_t size() const { return order_.size(); }
  std::size_t max_size() const { return max_origins_; }
  // Least recently registered first.
  std::vector<std::string> origins() const;

 private:
  std::size_t max_origins_;
  std::list<std::string> order_;  // least recently registered first
  std::unordered_map<std::string_view, std::list<std::string>::iterator> index_;
};

}  // namespace nga::net
