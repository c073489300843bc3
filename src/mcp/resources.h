// The resources the server offers: the pending list and each annotation, as
// JSON. Subscribing to them (see McpSession) turns store changes into
// notifications/resources/updated.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstddef>
#include <string_view>
#include <variant>

#include "mcp/jsonrpc.h"
#include "store/store.h"

namespace nga::mcp {

inline constexpr std::string_view kPendingUri = "ng-annotate://annotations/pending";
inline constexpr std::string_view kAnnotationUriPrefix = "ng-annotate://annotations/";
inline constexpr std::string_view kAnnotationUriTemplate = "ng-annotate://annotations/{id}";
// An annotation's screenshot (store/screenshot.h); ".../screenshot/after" for the after one.
inline constexpr std::string_view kScreenshotUriTemplate =
    "ng-annotate://annotations/{id}/screenshot";

// resources/list's "resources": the pending list, then every annotation still
// being worked on (pending, acknowledged, diff_proposed).
// Bounded like the list tools: resources/list names at most
// kMaxListedResources open annotations, and the pending resource holds the
// oldest kMaxPendingInResource (get_all_pending pages through the rest).
inline constexpr std::size_t kMaxListedResources = 500;
inline constexpr std::size_t kMaxPendingInResource = 100;
std::variant<boost::json::array, RpcError> ListResources(Store& store);
// resources/templates/list's "resourceTemplates".
boost::json::array ListResourceTemplates();
// resources/read's result ({contents:[{uri, mimeType, text}]}; a screenshot's
// is {uri, mimeType, blob: base64}), or
// kResourceNotFound / kInvalidParams.
std::variant<boost::json::object, RpcError> ReadResource(Store& store, std::string_view uri);

// Whether an event may change what reading `uri` returns.
bool EventTouches(std::string_view uri, const Event& event);

}  // namespace nga::mcp
