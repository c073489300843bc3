#include "cli/angular_workspace.h"

#include <boost/json/parse.hpp>

#include "util/json_pretty.h"

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
  json::value workspace = json::parse(text, ec);
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
  bool changed = false;
  for (auto& [key, value] : *projects) {
    std::string name(key);
    if (only && name != *only) continue;
    json::object* project = value.is_object() ? &value.get_object() : nullptr;
    json::object* architect = project ? ObjectAt(*project, "architect") : nullptr;
    if (!architect && project) architect = ObjectAt(*project, "targets");
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
      (*serve)["builder"] = original;
      edit.changes.push_back({name, builder, original});
      changed = true;
      continue;
    }
    if (builder == kNgAnnotateDevServer) {
      edit.changes.push_back({name, builder, builder});
    } else if (!IsAngularDevServer(builder)) {
      edit.skipped.push_back({name, "its serve builder is " +
                                        (builder.empty() ? "not set" : builder) +
                                        ", which @ng-annotate/angular does not wrap"});
    } else if (build.size() < 12 || build.substr(build.size() - 12) != ":application") {
      edit.skipped.push_back({name, "its build target uses " +
                                        (build.empty() ? std::string("no known builder") : build) +
                                        "; @ng-annotate/angular wraps Angular's esbuild dev "
                                        "server, which needs an :application build"});
    } else {
      (*serve)["builder"] = kNgAnnotateDevServer;
      edit.changes.push_back({name, builder, kNgAnnotateDevServer});
      changed = true;
    }
  }
  if (!changed) {
    edit.text = text;
    return edit;
  }
  edit.text = PrettyJson(workspace);
  if (!text.empty() && text.back() != '\n') edit.text.pop_back();
  if (text.find("\r\n") != std::string::npos) {
    std::string crlf;
    for (char c : edit.text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    edit.text = crlf;
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
