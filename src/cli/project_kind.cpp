#include "cli/project_kind.h"

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>
#include <utility>

namespace nga::cli {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::optional<std::string> Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool Exists(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

}  // namespace

std::pair<int, std::string> GuessDevServerPort(const std::optional<std::string>& package_json,
                                               bool has_gemfile) {
  // Most specific first: several of these use webpack-dev-server underneath.
  static const std::pair<const char*, std::pair<int, const char*>> kKnown[] = {
      {"next", {3000, "Next.js"}},
      {"nuxt", {3000, "Nuxt"}},
      {"@remix-run/dev", {3000, "Remix"}},
      {"react-scripts", {3000, "Create React App"}},
      {"astro", {4321, "Astro"}},
      {"gatsby", {8000, "Gatsby"}},
      {"@vue/cli-service", {8080, "Vue CLI"}},
      {"parcel", {1234, "Parcel"}},
      {"webpack-dev-server", {8080, "webpack-dev-server"}},
      {"@angular/cli", {4200, "Angular CLI"}},
  };
  if (package_json) {
    boost::system::error_code ec;
    json::value parsed = json::parse(*package_json, ec);
    if (!ec && parsed.is_object()) {
      for (const auto& [name, guess] : kKnown) {
        for (const char* field : {"dependencies", "devDependencies"}) {
          const json::value* deps = parsed.get_object().if_contains(field);
          if (deps && deps->is_object() && deps->get_object().contains(name)) {
            return {guess.first, guess.second};
          }
        }
      }
    }
  }
  if (has_gemfile) return {3000, "Rails"};
  return {0, ""};
}

ProjectKind DetectProject(const fs::path& root) {
  ProjectKind kind;
  kind.angular = Exists(root / "angular.json");
  for (const char* name : {"vite.config.ts", "vite.config.mts", "vite.config.js", "vite.config.mjs",
                           "vite.config.cts", "vite.config.cjs"}) {
    if (auto text = Read(root / name)) {
      kind.vite_config = name;
      kind.vite_plugin_configured = text->find("@ng-annotate/vite-plugin") != std::string::npos;
      break;
    }
  }
  auto [port, server] = GuessDevServerPort(Read(root / "package.json"), Exists(root / "Gemfile"));
  kind.dev_server_port = port;
  kind.dev_server = server;
  fs::path scope = root / "node_modules" / "@ng-annotate";
  kind.cli_package = Exists(scope / "cli" / "package.json");
  kind.angular_package = Exists(scope / "angular" / "package.json");
  kind.vite_package = Exists(scope / "vite-plugin" / "package.json");
  return kind;
}

}  // namespace nga::cli
