#include "cli/angular_workspace.h"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "cli/json_spans.h"

namespace nga::cli {

namespace json = boost::json;

namespace {

constexpr std::string_view kAngularBuild = "@angular/build";
constexpr std::string_view kDevkitBuild = "@angular-devkit/build-angular";

std::string StringAt(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

json::object* ObjectAt(json::object& object, std::string_view key) {
  json::value* value = object.if_contains(key);
  return value && value->is_object() ? &value->get_object() : nullptr;
}

// What @ng-annotate/angular:dev-server can serve: the esbuild application
// builds (through @angular/build's dev server) and Angular's own webpack
// browser build (through @angular-devkit/build-angular's). Other webpack
// builders (custom-webpack and the like) bring their own dev servers.
bool IsServableBuild(const std::string& builder) {
  return builder == std::string(kAngularBuild) + ":application" ||
         builder == std::string(kDevkitBuild) + ":application" ||
         builder == std::string(kDevkitBuild) + ":browser-esbuild" ||
         builder == std::string(kDevkitBuild) + ":browser";
}

bool IsAngularDevServer(const std::string& builder) {
  return builder == std::string(kAngularBuild) + ":dev-server" ||
         builder == std::string(kDevkitBuild) + ":dev-server";
}

// The builder of the target the serve target builds: options.buildTarget
// (browserTarget before Angular 17), "project:target[:configuration]",
// default "<this project>:build".
std::string BuildBuilder(json::object& projects, const std::string& project, json::object& serve) {
  std::string build_project = project;
  std::string build_target = "build";
  if (json::object* options = ObjectAt(serve, "options")) {
    std::string spec = StringAt(*options, "buildTarget");
    if (spec.empty()) spec = StringAt(*options, "browserTarget");
    if (std::size_t colon = spec.find(':'); colon != std::string::npos) {
      build_project = spec.substr(0, colon);
      std::string rest = spec.substr(colon + 1);
      build_target = rest.substr(0, rest.find(':'));
    }
  }
  json::object* other = ObjectAt(projects, build_project);
  json::object* architect = other ? ObjectAt(*other, "architect") : nullptr;
  if (!architect && other) architect = ObjectAt(*other, "targets");
  json::object* target = architect ? ObjectAt(*architect, build_target) : nullptr;
  return target ? StringAt(*target, "builder") : std::string();
}

std::string OriginalDevServer(const std::string& build_builder) {
  if (build_builder.rfind(std::string(kDevkitBuild) + ":", 0) == 0) {
    return std::string(kDevkitBuild) + ":dev-server";
  }
  return std::string(kAngularBuild) + ":dev-server";
}

enum class Direction { kSwitch, kRestore };

Result<WorkspaceEdit> Edit(const std::string& text, const std::optional<std::string>& only,
                           Direction direction) {
  boost::system::error_code ec;
  json::parse_options jsonc;  // angular.json may hold comments
  jsonc.allow_comments = true;
  jsonc.allow_trailing_commas = true;
  json::value workspace = json::parse(text, ec, {}, jsonc);
  json::object* projects =
      !ec && workspace.is_object() ? ObjectAt(workspace.get_object(), "projects") : nullptr;
  if (!projects) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "angular.json is not an Angular workspace (a JSON object with \"projects\"); "
                     "fix it or pass --root, then run init again");
  }
  if (only && !projects->contains(*only)) {
    std::string names;
    for (const auto& [name, _] : *projects)
      names += (names.empty() ? "" : ", ") + std::string(name);
    return MakeError(ErrorCode::kInvalidArgument,
                     "angular.json has no project \"" + *only + "\" (it has: " + names + ")");
  }

  WorkspaceEdit edit;
  // project, which architect key it uses, the builder to write.
  std::vector<std::pair<std::pair<std::string, std::string>, std::string>> replacements;
  for (auto& [key, value] : *projects) {
    std::string name(key);
    if (only && name != *only) continue;
    json::object* project = value.is_object() ? &value.get_object() : nullptr;
    json::object* architect = project ? ObjectAt(*project, "architect") : nullptr;
    std::string architect_key = "architect";
    if (!architect && project) {
      architect = ObjectAt(*project, "targets");
      architect_key = "targets";
    }
    json::object* serve = architect ? ObjectAt(*architect, "serve") : nullptr;
    if (!serve) {
      if (only) edit.skipped.push_back({name, "it has no serve target"});
      continue;
    }
    std::string builder = StringAt(*serve, "builder");
    std::string build = BuildBuilder(*projects, name, *serve);
    if (direction == Direction::kRestore) {
      if (builder != kNgAnnotateDevServer) continue;
      std::string original = OriginalDevServer(build);
      replacements.push_back({{name, architect_key}, original});
      edit.changes.push_back({name, builder, original});
      continue;
    }
    if (builder == kNgAnnotateDevServer) {
      edit.changes.push_back({name, builder, builder});
    } else if (!IsAngularDevServer(builder)) {
      edit.skipped.push_back({name, "its serve builder is " +
                                        (builder.empty() ? "not set" : builder) +
                                        ", which @ng-annotate/angular does not wrap"});
    } else if (!IsServableBuild(build)) {
      edit.skipped.push_back({name, "its build target uses " +
                                        (build.empty() ? std::string("no known builder") : build) +
                                        "; @ng-annotate/angular serves Angular's application "
                                        "builds and @angular-devkit/build-angular:browser only"});
    } else {
      replacements.push_back({{name, architect_key}, kNgAnnotateDevServer});
      edit.changes.push_back({name, builder, kNgAnnotateDevServer});
    }
  }
  // Replace only the builder strings, last first so earlier offsets hold.
  std::vector<std::pair<std::pair<std::size_t, std::size_t>, std::string>> spans;
  for (const auto& [where, builder] : replacements) {
    auto span = FindStringValue(text, {"projects", where.first, where.second, "serve", "builder"});
    if (!span) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "cannot find the serve builder of \"" + where.first +
                           "\" in angular.json's text; edit it by hand");
    }
    spans.push_back({*span, JsonStringLiteral(builder)});
  }
  std::sort(spans.begin(), spans.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  edit.text = text;
  for (const auto& [span, literal] : spans) {
    edit.text.replace(span.first, span.second - span.first, literal);
  }
  return edit;
}

}  // namespace

bool WorkspaceEdit::changed() const {
  for (const auto& change : changes) {
    if (change.from != change.to) return true;
  }
  return false;
}

Result<WorkspaceEdit> SwitchServeBuilders(const std::string& angular_json,
                                          const std::optional<std::string>& project) {
  return Edit(angular_json, project, Direction::kSwitch);
}

Result<WorkspaceEdit> RestoreServeBuilders(const std::string& angular_json,
                                           const std::optional<std::string>& project) {
  return Edit(angular_json, project, Direction::kRestore);
}

}  // namespace nga::cli
