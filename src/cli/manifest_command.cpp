// `manifest`: the component manifest of the project (SPEC §7), as JSON.
// `manifest push`: sends a preview build's manifest (store/build_manifest.h)
// to the team server, which resolves that build's source ids from then on.
#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "browser/build_manifest_route.h"
#include "cli/commands.h"
#include "manifest/manifest_index.h"
#include "net/http_client.h"
#include "store/build_manifest.h"
#include "store/root.h"

namespace nga::cli {

namespace {

namespace json = boost::json;

int RunManifest(const std::optional<std::string>& root) {
  auto paths = ResolveProject(root);
  if (!paths) return Fail(paths.error().message);
  manifest::ManifestIndex index(paths->root);
  index.ScanAll();
  std::cout << json::serialize(index.ToJson()) << "\n";
  return 0;
}

struct PushOptions {
  std::optional<std::string> root;
  std::string project;
  std::string build;
  std::optional<std::string> server;
  std::optional<std::string> token_env;
  std::optional<std::string> file;
};

constexpr const char* kDefaultServer = "http://127.0.0.1:4750";
constexpr const char* kDefaultTokenEnv = "NG_ANNOTATE_TOKEN";

int RunManifestPush(const PushOptions& options) {
  if (!IsBuildId(options.build)) {
    std::cerr << "ng-annotate: --build: 1 to 128 letters, digits, '.', '_' or '-'\n";
    return 2;
  }
  // Where the build plugins write it: <root>/.ng-annotate/builds/<build>.json.
  std::filesystem::path file;
  if (options.file) {
    file = *options.file;
  } else {
    auto paths = ResolveProject(options.root);
    if (!paths) return Fail(paths.error().message);
    file = paths->root / ".ng-annotate" / "builds" / (options.build + ".json");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Fail(
        fmt::format("no build manifest at {}: build with preview mode on "
                    "(NG_ANNOTATE_PREVIEW=1) first, or name the file with --file",
                    file.string()));
  }
  std::stringstream text;
  text << in.rdbuf();
  auto manifest = ParseBuildManifest(text.str());
  if (!manifest) return Fail(file.string() + ": " + manifest.error().message);
  if (manifest->build != options.build) {
    return Fail(fmt::format("{} is the manifest of build {}, not {}", file.string(),
                            manifest->build, options.build));
  }
  if (!manifest->project.empty() && manifest->project != options.project) {
    return Fail(fmt::format("{} was built for project {}, not {}", file.string(), manifest->project,
                            options.project));
  }
  // Sent as read, with the project named.
  json::value body = json::parse(text.str());
  body.as_object()["project"] = options.project;

  std::vector<std::pair<std::string, std::string>> headers;
  const std::string token_env = options.token_env.value_or(kDefaultTokenEnv);
  const char* token = std::getenv(token_env.c_str());
  if (token && *token) {
    headers.emplace_back("Authorization", std::string("Bearer ") + token);
  } else if (options.token_env) {
    return Fail(fmt::format("--token-env {}: that environment variable is not set", token_env));
  }
  std::string server = options.server.value_or(
      std::getenv("NG_ANNOTATE_SERVER") ? std::getenv("NG_ANNOTATE_SERVER") : kDefaultServer);
  while (!server.empty() && server.back() == '/') server.pop_back();
  std::string url = server + std::string(browser::kBuildsPath);
  auto answer = net::HttpRequestOnce("POST", url, json::serialize(body), "application/json",
                                     headers, std::chrono::seconds(30));
  if (!answer) return Fail(answer.error().message);
  boost::system::error_code ec;
  json::value reply = json::parse(answer->body, ec);
  const json::object* object = ec ? nullptr : reply.if_object();
  if (answer->status != 200 || !object) {
    const json::value* error = object ? object->if_contains("error") : nullptr;
    std::string why = error && error->is_string() ? std::string(error->get_string())
                                                  : answer->body.substr(0, 200);
    return Fail(fmt::format("{} answered {}: {}", url, answer->status, why));
  }
  std::cout << json::serialize(reply) << "\n";
  return 0;
}

}  // namespace

void AddManifestCommand(CLI::App& app, Action& run) {
  auto* sub = app.add_subcommand(
      "manifest", "the component manifest as JSON: {ClassName: {component, template?, selector?}}");
  auto root = std::make_shared<std::optional<std::string>>();
  AddRootOption(sub, *root);
  sub->final_callback([&run, root, sub] {
    if (sub->get_subcommands().empty()) run = [root] { return RunManifest(*root); };
  });

  auto* push = sub->add_subcommand(
      "push", "send a preview build's source-id manifest to the team server (issue 20)");
  auto options = std::make_shared<PushOptions>();
  AddRootOption(push, options->root);
  push->add_option("--project", options->project, "the project the build belongs to")->required();
  push->add_option("--build", options->build, "the build id (the preview build printed it)")
      ->required();
  push->add_option("--server", options->server,
                   "the team server (default: $NG_ANNOTATE_SERVER, else http://127.0.0.1:4750)");
  push->add_option("--token-env", options->token_env,
                   "the environment variable holding the token (default: NG_ANNOTATE_TOKEN, "
                   "sent when set)");
  push->add_option("--file", options->file,
                   "the manifest (default: <root>/.ng-annotate/builds/<build>.json)");
  push->final_callback([&run, options] { run = [options] { return RunManifestPush(*options); }; });
}

}  // namespace nga::cli
