// The component-manifest parser on arbitrary TypeScript-ish text: it never
// fails, it only finds fewer components.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "manifest/component_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  for (const auto& component : nga::manifest::ParseComponents(source)) {
    if (component.class_name.empty()) __builtin_trap();  // nameless classes are left out
  }
  return 0;
}
