// Finds Angular components in one TypeScript source (SPEC §7): each
// `@Component({...})` decorator, the `selector` and `templateUrl` of its
// object literal, and the name of the class it decorates.
//
// Not a TypeScript parser: a small tokenizer that knows enough of the
// language to skip what could fool a text search — strings, template
// literals (with `${}` nesting), comments and regular expressions — and to
// match brackets. Malformed input never fails; it yields fewer components.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nga::manifest {

struct ParsedComponent {
  std::string class_name;
  std::optional<std::string> selector;      // as written in the decorator
  std::optional<std::string> template_url;  // as written, not resolved
};

// The components declared in `source`, in source order. A decorator whose
// class has no name (`export default class {`) is left out. Pure; cheap on
// files without "@Component" (one substring search).
std::vector<ParsedComponent> ParseComponents(std::string_view source);

}  // namespace nga::manifest
