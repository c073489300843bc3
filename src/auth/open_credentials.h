// What is open under each team-mode token (issue 20): WebSockets and /mcp
// sessions. Revoking a token, or its expiry, must end them too, not only
// refuse the next request: Recheck() looks each token up again and closes
// everything opened under one that is no longer live.
//
// Who calls Recheck: serve, on a short timer (kRecheckInterval), because a
// revoke may come from any process or machine sharing the store
// (`ng-annotate token revoke`), which no in-process signal would reach.
//
// Thread rules: the server's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "store/store.h"
#include "util/time.h"

namespace nga::auth {

inline constexpr auto kRecheckInterval = std::chrono::milliseconds(500);

class OpenCredentials {
 public:
  using Handle = std::uint64_t;

  // Records that `close` ends something opened under token `token_id`.
  Handle Add(std::string token_id, std::function<void()> close);
  // It ended by itself. Unknown handles are ignored.
  void Remove(Handle handle);

  // Looks up every token that has something open (one query each) and
  // calls the closers of those revoked, expired or gone. A store error
  // closes nothing (and is returned): the next check tries again.
  Status Recheck(Store& store, Millis now);

  std::size_t size() const { return open_.size(); }

 private:
  struct Entry {
    std::string token_id;
    std::function<void()> close;
  };
  std::map<Handle, Entry> open_;
  Handle next_ = 1;
};

}  // namespace nga::auth
