#include "net/origin_registry.h"

namespace nga::net {

std::vector<std::string> OriginRegistry::Add(std::string normal_origin) {
  if (auto it = index_.find(normal_origin); it != index_.end()) {
    order_.splice(order_.end(), order_, it->second);  // iterators stay valid
    return {};
  }
  std::vector<std::string> dropped;
  while (max_origins_ > 0 && order_.size() >= max_origins_) {
    index_.erase(order_.front());
    dropped.push_back(std::move(order_.front()));
    order_.pop_front();
  }
  if (max_origins_ == 0) return dropped;
  order_.push_back(std::move(normal_origin));
  auto last = std::prev(order_.end());
  index_.emplace(std::string_view(*last), last);
  return dropped;
}

bool OriginRegistry::Contains(std::string_view normal_origin) const {
  return index_.contains(normal_origin);
}

std::vector<std::string> OriginRegistry::origins() const {
  return std::vector<std::string>(order_.begin(), order_.end());
}

}  // namespace nga::net
