#include "browser/preview_source.h"

#include <fmt/format.h>

namespace nga::browser {

std::string ResolvePreviewSource(Store& store, boost::json::object& payload) {
  const auto* build = payload.if_contains("buildId");
  const auto* source = payload.if_contains("sourceId");
  if (!build || !source || !build->is_string() || !source->is_string()) return {};
  std::string build_id(build->get_string());
  std::string source_id(source->get_string());
  if (!IsBuildId(build_id) || !IsSourceId(source_id)) return {};
  auto found = store.FindBuildSource(build_id, source_id);
  if (!found) {
    return fmt::format("could not look up source id {} of build {}: {}", source_id, build_id,
                       found.error().message);
  }
  if (!*found) {
    return fmt::format(
        "an annotation names source id {} of build {}, which no pushed manifest holds: its "
        "file and line stay unknown. Run `ng-annotate manifest push --project P --build {}` "
        "after that build",
        source_id, build_id, build_id);
  }
  const std::string& location = **found;
  std::string file = location.substr(0, location.rfind(':', location.rfind(':') - 1));
  payload["sourceLocation"] = location;
  // An Angular template is the component's template, not its class: the
  // class stays what the page said, or the template when it said nothing.
  if (file.ends_with(".html")) {
    payload["templateFilePath"] = file;
    const auto* component = payload.if_contains("componentFilePath");
    if (component && component->is_string() && !component->get_string().empty()) return {};
  }
  payload["componentFilePath"] = file;
  return {};
}

}  // namespace nga::browser
