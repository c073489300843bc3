// `manifest`: the component manifest of the project (SPEC §7), as JSON.
#include <boost/json/serialize.hpp>
#include <iostream>

#include "cli/commands.h"
#include "manifest/manifest_index.h"
#include "store/root.h"

namespace nga::cli {

namespace {

int RunManifest(const std::optional<std::string>& root) {
  auto paths = ResolveProject(root);
  if (!paths) return Fail(paths.error().message);
  manifest::ManifestIndex index(paths->root);
  index.ScanAll();
  std::cout << boost::json::serialize(index.ToJson()) << "\n";
  return 0;
}

}  // namespace

void AddManifestCommand(CLI::App& app, Action& run) {
  auto* sub = app.add_subcommand(
      "manifest", "the component manifest as JSON: {ClassName: {component, template?, selector?}}");
  auto root = std::make_shared<std::optional<std::string>>();
  AddRootOption(sub, *root);
  sub->final_callback([&run, root] { run = [root] { return RunManifest(*root); }; });
}

}  // namespace nga::cli
