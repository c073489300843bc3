#include "store/build_manifest.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

namespace nga {
namespace {

namespace json = boost::json;

Error Invalid(std::string message) {
  return Error{ErrorCode::kInvalidArgument, "build manifest: " + std::move(message)};
}

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool IsIdOf(std::string_view id, std::size_t max) {
  if (id.empty() || id.size() > max) return false;
  for (char c : id) {
    if (!IsIdChar(c)) return false;
  }
  return true;
}

bool IsPositiveNumber(std::string_view digits) {
  if (digits.empty() || digits.size() > 9 || digits.front() == '0') return false;
  int value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return ec == std::errc{} && end == digits.data() + digits.size() && value > 0;
}

std::string Quoted(std::string_view text) {
  return json::serialize(json::value(json::string(text.substr(0, 80))));
}

}  // namespace

bool IsBuildId(std::string_view id) { return IsIdOf(id, kMaxBuildIdChars); }
bool IsSourceId(std::string_view id) { return IsIdOf(id, kMaxSourceIdChars); }

bool IsSourceLocation(std::string_view location) {
  if (location.size() > kMaxSourceLocationChars) return false;
  auto column_at = location.rfind(':');
  if (column_at == std::string_view::npos) return false;
  auto line_at = location.rfind(':', column_at - 1);
  if (column_at == 0 || line_at == std::string_view::npos) return false;
  if (!IsPositiveNumber(location.substr(column_at + 1)) ||
      !IsPositiveNumber(location.substr(line_at + 1, column_at - line_at - 1))) {
    return false;
  }
  std::string_view file = location.substr(0, line_at);
  if (file.empty() || file.front() == '/' || file.find('\\') != std::string_view::npos) {
    return false;
  }
  if (file.size() > 1 && file[1] == ':') return false;  // C:/...
  for (char c : file) {
    if (static_cast<unsigned char>(c) < 0x20) return false;
  }
  std::size_t start = 0;
  while (start <= file.size()) {
    auto end = file.find('/', start);
    if (end == std::string_view::npos) end = file.size();
    if (file.substr(start, end - start) == "..") return false;
    start = end + 1;
  }
  return true;
}

Result<BuildManifest> ParseBuildManifest(std::string_view text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec) return Invalid("not JSON: " + ec.message());
  const json::object* object = parsed.if_object();
  if (!object) return Invalid("expected a JSON object");
  const json::value* version = object->if_contains("version");
  if (!version || !version->is_int64() || version->as_int64() != kBuildManifestVersion) {
    return Invalid("\"version\" must be 1 (a manifest written by the ng-annotate build plugins)");
  }
  BuildManifest manifest;
  const json::value* build = object->if_contains("build");
  if (!build || !build->is_string() || !IsBuildId(build->get_string())) {
    return Invalid("\"build\" must be 1 to 128 letters, digits, '.', '_' or '-'");
  }
  manifest.build = build->get_string();
  if (const json::value* project = object->if_contains("project")) {
    if (!project->is_string() || project->get_string().size() > kMaxBuildIdChars) {
      return Invalid("\"project\" must be a string of at most 128 characters");
    }
    manifest.project = project->get_string();
  }
  const json::value* ids = object->if_contains("ids");
  if (!ids || !ids->is_object()) {
    return Invalid(R"("ids" must be an object {"<source id>": "file:line:col", ...})");
  }
  if (ids->get_object().size() > kMaxBuildSources) {
    return Invalid("more than " + std::to_string(kMaxBuildSources) + " source ids");
  }
  manifest.sources.reserve(ids->get_object().size());
  for (const auto& [id, location] : ids->get_object()) {
    if (!IsSourceId(id)) {
      return Invalid("source id " + Quoted(id) +
                     ": 1 to 32 letters, digits, '.', '_' or '-' expected");
    }
    if (!location.is_string() || !IsSourceLocation(location.get_string())) {
      return Invalid("source id " + Quoted(id) + ": " + json::serialize(location).substr(0, 100) +
                     " is not a root-relative \"file:line:col\"");
    }
    manifest.sources.emplace_back(std::string(id), std::string(location.get_string()));
  }
  return manifest;
}

}  // namespace nga
