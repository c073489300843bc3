#include "auth/open_credentials.h"

#include <set>
#include <vector>

namespace nga::auth {

OpenCredentials::Handle OpenCredentials::Add(std::string token_id, std::function<void()> close) {
  Handle handle = next_++;
  open_.emplace(handle, Entry{std::move(token_id), std::move(close)});
  return handle;
}

void OpenCredentials::Remove(Handle handle) { open_.erase(handle); }

Status OpenCredentials::Recheck(Store& store, Millis now) {
  std::set<std::string> ids;
  for (const auto& [handle, entry] : open_) ids.insert(entry.token_id);
  std::set<std::string> dead;
  for (const auto& id : ids) {
    auto found = store.FindToken(id);
    if (!found) return found.error();
    if (!found->has_value() || !(*found)->LiveAt(now)) dead.insert(id);
  }
  if (dead.empty()) return Ok{};
  // Closers may call Remove(): take them out first.
  std::vector<std::function<void()>> closers;
  for (auto it = open_.begin(); it != open_.end();) {
    if (dead.count(it->second.token_id)) {
      closers.push_back(std::move(it->second.close));
      it = open_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& close : closers) close();
  return Ok{};
}

}  // namespace nga::auth
