// What kind of project `init` is looking at, so its next steps name the one
// line that fits: the Angular builder, the Nuxt module, the Next.js config
// wrapper, the Vite plugin (Vite, SvelteKit, React Router), the Astro
// integration, the webpack plugin or Rsbuild plugin (@ng-annotate/webpack),
// or `serve --proxy` in front of any other dev server.
//
// Recognised from the root's package.json dependencies and config files,
// most specific first: a Nuxt or SvelteKit app also has Vite, an Astro one
// has Vite underneath, a Next.js one may have webpack.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace nga::cli {

enum class Framework {
  kAngular,      // angular.json: the builder switch (angular_workspace.h)
  kNext,         // next.config.* or "next"
  kNuxt,         // nuxt.config.* or "nuxt"
  kSvelteKit,    // "@sveltejs/kit" or svelte.config.* with a vite.config
  kReactRouter,  // react-router.config.* or "@react-router/dev" (framework mode)
  kAstro,        // astro.config.* or "astro"
  kRsbuild,      // rsbuild.config.* or "@rsbuild/core"
  kWebpack,      // webpack.config.* or "webpack"/"webpack-dev-server"
  kVite,         // vite.config.* or "vite"
  kOther,        // none of the above: the proxy
};

// The integration for a framework: where its one line goes.
struct Integration {
  std::string framework;    // "Nuxt", "SvelteKit", …
  std::string package;      // the npm package the line names ("" for the proxy)
  std::string config_file;  // the file it goes in (found at the root, or the usual name)
  std::string import_line;  // "" when the line needs no import (Nuxt's module name)
  std::string line;         // the line itself
  bool configured = false;  // config_file already names `package`
  bool proxy = false;       // no integration: `serve --proxy`
};

struct ProjectKind {
  Framework framework = Framework::kOther;
  bool angular = false;                    // angular.json at the root
  std::optional<std::string> vite_config;  // "vite.config.ts", … at the root
  bool vite_plugin_configured = false;     // that file already names our plugin
  int dev_server_port = 0;                 // a good guess for --proxy, 0 = unknown
  std::string dev_server;                  // what the guess is based on ("Next.js")
  bool cli_package = false;                // node_modules/@ng-annotate/cli installed
  bool angular_package = false;            // node_modules/@ng-annotate/angular
  bool vite_package = false;               // node_modules/@ng-annotate/vite-plugin
  Integration integration;                 // what init prints (not for kAngular)
  bool integration_package = false;        // node_modules/<integration.package> installed
};

ProjectKind DetectProject(const std::filesystem::path& root);

// The framework from package.json's text and the names of the files at the
// root (pure, for tests).
Framework RecogniseFramework(const std::optional<std::string>& package_json,
                             const std::vector<std::string>& root_files);

// The config file `framework`'s line goes in: the one at the root
// (`vite.config.js`, `nuxt.config.ts`, …), else the name its generator uses.
std::string ConfigFileFor(Framework framework, const std::vector<std::string>& root_files);

// The integration of `framework`, whose config file is `config_file` with
// text `config_text` (nullopt: not there yet).
Integration IntegrationFor(Framework framework, const std::string& config_file,
                           const std::optional<std::string>& config_text);

// The dev server's usual port from package.json's dependencies (and a Gemfile
// for Rails): {port, name}, {0, ""} when nothing is recognised.
std::pair<int, std::string> GuessDevServerPort(const std::optional<std::string>& package_json,
                                               bool has_gemfile);

}  // namespace nga::cli
