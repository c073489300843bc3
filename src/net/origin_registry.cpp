#include "net/origin_registry.h"

#include <algorithm>

namespace nga::net {

void OriginRegistry::Add(std::string normal_origin) {
  if (!Contains(normal_origin)) origins_.push_back(std::move(normal_origin));
}

bool OriginRegistry::Contains(std::string_view normal_origin) const {
  return std::find(origins_.begin(), origins_.end(), normal_origin) != origins_.end();
}

}  // namespace nga::net
