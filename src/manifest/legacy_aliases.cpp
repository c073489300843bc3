#include "manifest/legacy_aliases.h"

#include <string>

namespace nga::manifest {

boost::json::object WithUnderscoreAliases(const boost::json::object& manifest) {
  boost::json::object out = manifest;
  for (const auto& [name, entry] : manifest) {
    std::string alias = "_" + std::string(name);
    if (!manifest.contains(alias)) out[alias] = entry;
  }
  return out;
}

}  // namespace nga::manifest
