// The prompts the server offers: `start-polling`, the agent's work loop.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

namespace nga::mcp {

// prompts/list's "prompts".
boost::json::array ListPrompts();

// prompts/get's result ({description, messages}) for prompt `name`; nullopt
// if there is no such prompt.
std::optional<boost::json::object> GetPrompt(std::string_view name);

}  // namespace nga::mcp
