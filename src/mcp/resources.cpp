#include "mcp/resources.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <optional>
#include <utility>

#include "mcp/agent_view.h"
#include "store/model.h"
#include "util/base64.h"
#include "util/utf8.h"

namespace nga::mcp {

namespace json = boost::json;

namespace {

constexpr std::string_view kJson = "application/json";

// The annotation id in "ng-annotate://annotations/<id>", or empty.
std::string_view AnnotationIdOf(std::string_view uri) {
  if (uri == kPendingUri || !uri.starts_with(kAnnotationUriPrefix)) return {};
  std::string_view id = uri.substr(kAnnotationUriPrefix.size());
  return id.find('/') == std::string_view::npos ? id : std::string_view{};
}

// "<prefix><id>/screenshot" (before) or ".../screenshot/after": the id and kind.
std::optional<std::pair<std::string_view, ScreenshotKind>> ScreenshotOf(std::string_view uri) {
  if (!uri.starts_with(kAnnotationUriPrefix)) return std::nullopt;
  std::string_view rest = uri.substr(kAnnotationUriPrefix.size());
  ScreenshotKind kind = ScreenshotKind::kBefore;
  if (rest.ends_with("/after")) {
    kind = ScreenshotKind::kAfter;
    rest.remove_suffix(std::string_view("/after").size());
  }
  constexpr std::string_view kSuffix = "/screenshot";
  if (!rest.ends_with(kSuffix)) return std::nullopt;
  rest.remove_suffix(kSuffix.size());
  if (rest.empty() || rest.find('/') != std::string_view::npos) return std::nullopt;
  return std::pair{rest, kind};
}

json::object Contents(std::string_view uri, const json::value& value) {
  json::object item;
  item["uri"] = uri;
  item["mimeType"] = kJson;
  item["text"] = json::serialize(value);
  json::object result;
  result["contents"] = json::array{std::move(item)};
  return result;
}

RpcError StoreFailure(const Error& error) { return {rpc::kInternalError, error.message, {}}; }

}  // namespace

std::variant<json::array, RpcError> ListResources(Store& store) {
  json::array resources;
  json::object pending;
  pending["uri"] = kPendingUri;
  pending["name"] = "pending-annotations";
  pending["title"] = "Pending annotations";
  pending["description"] =
      "Every pending annotation, oldest first. Subscribe to hear of each change at once.";
  pending["mimeType"] = kJson;
  resources.push_back(std::move(pending));

  // The open annotations, oldest first per status, at most kMaxListedResources.
  std::vector<Annotation> open;
  for (AnnotationStatus status : {AnnotationStatus::kPending, AnnotationStatus::kAcknowledged,
                                  AnnotationStatus::kDiffProposed}) {
    if (open.size() >= kMaxListedResources) break;
    auto some =
        store.ListAnnotations({.status = status, .limit = kMaxListedResources - open.size()});
    if (!some) return StoreFailure(some.error());
    std::move(some->begin(), some->end(), std::back_inserter(open));
  }
  for (const Annotation& a : open) {
    json::object resource;
    resource["uri"] = fmt::format("{}{}", kAnnotationUriPrefix, a.id);
    resource["name"] = fmt::format("annotation-{}", a.id);
    resource["title"] =
        fmt::format("{}: {}", a.component_name(), TruncateCodePoints(a.annotation_text(), 80));
    resource["description"] =
        fmt::format("{} annotation on {}", StatusName(a.status), a.component_name());
    resource["mimeType"] = kJson;
    resources.push_back(std::move(resource));
  }
  return resources;
}

json::array ListResourceTemplates() {
  json::object annotation;
  annotation["uriTemplate"] = kAnnotationUriTemplate;
  annotation["name"] = "annotation";
  annotation["title"] = "Annotation";
  annotation["description"] = "One annotation with its replies, by id.";
  annotation["mimeType"] = kJson;
  json::object screenshot;
  screenshot["uriTemplate"] = kScreenshotUriTemplate;
  screenshot["name"] = "annotation-screenshot";
  screenshot["title"] = "Annotation screenshot";
  screenshot["description"] =
      "The annotated element as the user saw it when sending (WebP or PNG); append /after for "
      "the same element once the change had landed. Not found when the page sent none.";
  return json::array{std::move(annotation), std::move(screenshot)};
}

std::variant<json::object, RpcError> ReadResource(Store& store, std::string_view uri) {
  if (uri == kPendingUri) {
    AnnotationFilter filter;
    filter.status = AnnotationStatus::kPending;
    filter.limit = kMaxPendingInResource;
    auto pending = store.ListAnnotations(filter);
    if (!pending) return StoreFailure(pending.error());
    json::array list;  // a list: without the page context (kDetailOnlyFields)
    for (const Annotation& annotation : *pending) list.push_back(ToListJson(annotation));
    return Contents(uri, list);
  }
  if (auto screenshot = ScreenshotOf(uri)) {
    auto shot = store.GetScreenshot(screenshot->first, screenshot->second);
    if (!shot) return StoreFailure(shot.error());
    if (*shot) {
      json::object item;
      item["uri"] = uri;
      item["mimeType"] = (*shot)->mime_type;
      item["blob"] = Base64Encode((*shot)->bytes);
      json::object result;
      result["contents"] = json::array{std::move(item)};
      return result;
    }
  }
  std::string_view id = AnnotationIdOf(uri);
  if (!id.empty()) {
    auto annotation = store.GetAnnotation(id);
    if (annotation) return Contents(uri, AgentView(*annotation));
    if (annotation.error().code != ErrorCode::kNotFound) return StoreFailure(annotation.error());
  }
  json::object data;
  data["uri"] = uri;
  return RpcError{rpc::kResourceNotFound, fmt::format("Resource not found: {}", uri),
                  json::value(std::move(data))};
}

bool EventTouches(std::string_view uri, const Event& event) {
  if (event.annotation_id.empty()) return false;  // session events change no resource
  if (uri == kPendingUri) return true;
  if (auto screenshot = ScreenshotOf(uri)) return screenshot->first == event.annotation_id;
  return AnnotationIdOf(uri) == event.annotation_id;
}

}  // namespace nga::mcp
