#include "cli/project_kind.h"

#include <algorithm>
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

// One row per framework, in the order they are recognised: the most
// specific first (a Nuxt, SvelteKit or Astro app has Vite too; a Next.js
// one may have webpack; a vite.config means Vite serves the app).
struct FrameworkRow {
  Framework framework;
  const char* name;
  std::vector<const char*> dependencies;  // any of these in (dev)dependencies
  const char* config_stem;                // "<stem>.{ts,mts,js,mjs,cts,cjs}" at the root
  bool config_recognises;                 // the config file alone says it is this framework
  const char* usual_config;               // what the generator writes
  const char* package;                    // the npm package the line names
  const char* marker;                     // config text naming it means "already configured"
  const char* import_line;
  const char* line;
};

const std::vector<FrameworkRow>& Rows() {
  static const std::vector<FrameworkRow> kRows = {
      {Framework::kNext,
       "Next.js",
       {"next"},
       "next.config",
       true,
       "next.config.ts",
       "@ng-annotate/next",
       "@ng-annotate/next",
       "import { withNgAnnotate } from '@ng-annotate/next'",
       "export default withNgAnnotate(nextConfig)   (wrapping the config you export)"},
      {Framework::kNuxt,
       "Nuxt",
       {"nuxt"},
       "nuxt.config",
       true,
       "nuxt.config.ts",
       "@ng-annotate/vite-plugin",
       "@ng-annotate/vite-plugin/nuxt",
       "",
       "modules: ['@ng-annotate/vite-plugin/nuxt']   (beside your other modules)"},
      {Framework::kSvelteKit,
       "SvelteKit",
       {"@sveltejs/kit"},
       "vite.config",
       false,
       "vite.config.ts",
       "@ng-annotate/vite-plugin",
       "@ng-annotate/vite-plugin",
       "import ngAnnotate from '@ng-annotate/vite-plugin'",
       "plugins: [sveltekit(), ngAnnotate()]   (after sveltekit())"},
      {Framework::kReactRouter,
       "React Router",
       {"@react-router/dev"},
       "react-router.config",
       true,
       "vite.config.ts",
       "@ng-annotate/vite-plugin",
       "@ng-annotate/vite-plugin",
       "import ngAnnotate from '@ng-annotate/vite-plugin'",
       "plugins: [reactRouter(), ngAnnotate()]   (after reactRouter())"},
      {Framework::kAstro,
       "Astro",
       {"astro"},
       "astro.config",
       true,
       "astro.config.mjs",
       "@ng-annotate/vite-plugin",
       "@ng-annotate/vite-plugin/astro",
       "import ngAnnotate from '@ng-annotate/vite-plugin/astro'",
       "integrations: [ngAnnotate()]   (beside your other integrations)"},
      {Framework::kVite,
       "Vite",
       {"vite"},
       "vite.config",
       true,
       "vite.config.js",
       "@ng-annotate/vite-plugin",
       "@ng-annotate/vite-plugin",
       "import ngAnnotate from '@ng-annotate/vite-plugin'",
       "plugins: [ngAnnotate()]   (beside your other plugins)"},
      {Framework::kRsbuild,
       "Rsbuild",
       {"@rsbuild/core"},
       "rsbuild.config",
       true,
       "rsbuild.config.ts",
       "@ng-annotate/webpack",
       "@ng-annotate/webpack",
       "import { pluginNgAnnotate } from '@ng-annotate/webpack/rsbuild'",
       "plugins: [pluginReact(), pluginNgAnnotate()]   (after your framework's plugin)"},
      {Framework::kWebpack,
       "webpack",
       {"webpack", "webpack-dev-server", "webpack-cli"},
       "webpack.config",
       true,
       "webpack.config.js",
       "@ng-annotate/webpack",
       "@ng-annotate/webpack",
       "const { NgAnnotatePlugin } = require('@ng-annotate/webpack')",
       "plugins: [new NgAnnotatePlugin()]   (beside your other plugins; it acts in `webpack serve` "
       "only)"},
  };
  return kRows;
}

const FrameworkRow* RowOf(Framework framework) {
  for (const auto& row : Rows()) {
    if (row.framework == framework) return &row;
  }
  return nullptr;
}

// The config file named `<stem>.<ext>` among `files`, in the order tools
// look for them.
std::optional<std::string> FindConfig(const std::string& stem,
                                      const std::vector<std::string>& files) {
  for (const char* ext : {".ts", ".mts", ".js", ".mjs", ".cts", ".cjs"}) {
    std::string name = stem + ext;
    if (std::find(files.begin(), files.end(), name) != files.end()) return name;
  }
  return std::nullopt;
}

bool HasDependency(const json::value& package, const char* name) {
  if (!package.is_object()) return false;
  for (const char* field : {"dependencies", "devDependencies"}) {
    const json::value* deps = package.get_object().if_contains(field);
    if (deps && deps->is_object() && deps->get_object().contains(name)) return true;
  }
  return false;
}

std::vector<std::string> FilesAt(const fs::path& root) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  return names;
}

}  // namespace

Framework RecogniseFramework(const std::optional<std::string>& package_json,
                             const std::vector<std::string>& root_files) {
  auto has_file = [&](const char* name) {
    return std::find(root_files.begin(), root_files.end(), name) != root_files.end();
  };
  if (has_file("angular.json")) return Framework::kAngular;
  json::value package;
  if (package_json) {
    boost::system::error_code ec;
    package = json::parse(*package_json, ec);
    if (ec) package = json::value();
  }
  for (const auto& row : Rows()) {
    if (row.config_recognises && FindConfig(row.config_stem, root_files)) return row.framework;
    for (const char* dependency : row.dependencies) {
      if (HasDependency(package, dependency)) return row.framework;
    }
  }
  return Framework::kOther;
}

std::string ConfigFileFor(Framework framework, const std::vector<std::string>& root_files) {
  const FrameworkRow* row = RowOf(framework);
  if (!row) return "";
  // React Router's line goes in vite.config, not react-router.config.
  std::string stem = framework == Framework::kReactRouter ? "vite.config" : row->config_stem;
  return FindConfig(stem, root_files).value_or(row->usual_config);
}

Integration IntegrationFor(Framework framework, const std::string& config_file,
                           const std::optional<std::string>& config_text) {
  Integration out;
  const FrameworkRow* row = RowOf(framework);
  if (!row) {
    out.proxy = true;
    return out;
  }
  out.framework = row->name;
  out.config_file = config_file;
  out.package = row->package;
  out.import_line = row->import_line;
  out.line = row->line;
  out.configured = config_text && config_text->find(row->marker) != std::string::npos;
  return out;
}

std::pair<int, std::string> GuessDevServerPort(const std::optional<std::string>& package_json,
                                               bool has_gemfile) {
  // Most specific first: several of these use webpack-dev-server underneath.
  static const std::pair<const char*, std::pair<int, const char*>> kKnown[] = {
      {"next", {3000, "Next.js"}},
      {"nuxt", {3000, "Nuxt"}},
      {"@remix-run/dev", {3000, "Remix"}},
      {"react-scripts", {3000, "Create React App"}},
      {"@rsbuild/core", {3000, "Rsbuild"}},
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
        if (HasDependency(parsed, name)) return {guess.first, guess.second};
      }
    }
  }
  if (has_gemfile) return {3000, "Rails"};
  return {0, ""};
}

ProjectKind DetectProject(const fs::path& root) {
  ProjectKind kind;
  std::vector<std::string> files = FilesAt(root);
  auto package_json = Read(root / "package.json");
  kind.angular = Exists(root / "angular.json");
  kind.framework = RecogniseFramework(package_json, files);
  if (auto vite = FindConfig("vite.config", files)) {
    kind.vite_config = *vite;
    auto text = Read(root / *vite);
    kind.vite_plugin_configured =
        text && text->find("@ng-annotate/vite-plugin") != std::string::npos;
  }
  if (!kind.angular) {
    std::string config = ConfigFileFor(kind.framework, files);
    kind.integration =
        IntegrationFor(kind.framework, config, config.empty() ? std::nullopt : Read(root / config));
  }
  auto [port, server] = GuessDevServerPort(package_json, Exists(root / "Gemfile"));
  kind.dev_server_port = port;
  kind.dev_server = server;
  fs::path modules = root / "node_modules";
  fs::path scope = modules / "@ng-annotate";
  kind.cli_package = Exists(scope / "cli" / "package.json");
  kind.angular_package = Exists(scope / "angular" / "package.json");
  kind.vite_package = Exists(scope / "vite-plugin" / "package.json");
  if (!kind.integration.package.empty()) {
    kind.integration_package = Exists(modules / kind.integration.package / "package.json");
  }
  return kind;
}

}  // namespace nga::cli
