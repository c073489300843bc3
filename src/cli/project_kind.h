// What kind of project `init` is looking at, so its next steps name the
// integration that fits: the Angular builder, the Vite plugin, or
// `serve --proxy` in front of any other dev server.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace nga::cli {

struct ProjectKind {
  bool angular = false;                    // angular.json at the root
  std::optional<std::string> vite_config;  // "vite.config.ts", … at the root
  bool vite_plugin_configured = false;     // that file already names our plugin
  int dev_server_port = 0;                 // a good guess for --proxy, 0 = unknown
  std::string dev_server;                  // what the guess is based on ("Next.js")
  bool cli_package = false;                // node_modules/@ng-annotate/cli installed
  bool angular_package = false;            // node_modules/@ng-annotate/angular
  bool vite_package = false;               // node_modules/@ng-annotate/vite-plugin
};

ProjectKind DetectProject(const std::filesystem::path& root);

// The dev server's usual port from package.json's dependencies (and a Gemfile
// for Rails): {port, name}, {0, ""} when nothing is recognised.
std::pair<int, std::string> GuessDevServerPort(const std::optional<std::string>& package_json,
                                               bool has_gemfile);

}  // namespace nga::cli
