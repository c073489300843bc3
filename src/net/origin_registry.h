// Browser origins registered while the daemon runs (POST /__annotate/origins,
// C1): a second dev server that reuses a running daemon tells it its own
// origins. Shared between the AccessPolicy that checks requests and the route
// that adds to it; both run on the server's one thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nga::net {

class OriginRegistry {
 public:
  // Adds an origin already normalised by NormalizeOrigin (access.h); a
  // duplicate is ignored.
  void Add(std::string normal_origin);
  bool Contains(std::string_view normal_origin) const;
  // In the order they were first registered.
  const std::vector<std::string>& origins() const { return origins_; }

 private:
  std::vector<std::string> origins_;
};

}  // namespace nga::net
