// `export` and `import`: the store as ng-annotate-mcp's store.json.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "store/export.h"
#include "util/json_nan.h"

namespace nga::cli {

namespace {

int RunExport(const std::optional<std::string>& root, const StoreChoice& choice,
              const std::optional<std::string>& out) {
  auto opened = OpenExistingProjectStore(root, choice);
  if (!opened) return Fail(opened.error().message);
  auto document = ExportStore(*opened->store);
  if (!document) return Fail(document.error().message);
  std::string text = boost::json::serialize(*document) + "\n";
  if (!out) {
    std::cout << text;
    return 0;
  }
  // Write beside, then rename: a reader never sees half a file.
  std::string temp = *out + ".tmp";
  {
    std::ofstream file(temp, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file.flush()) return Fail("cannot write " + temp);
  }
  if (std::rename(temp.c_str(), out->c_str()) != 0) return Fail("cannot write " + *out);
  std::cerr << "exported " << document->at("sessions").as_object().size() << " sessions and "
            << document->at("annotations").as_object().size() << " annotations to " << *out << "\n";
  return 0;
}

int RunImport(const std::optional<std::string>& root, const StoreChoice& choice,
              const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail("cannot read " + file);
  std::stringstream buffer;
  buffer << in.rdbuf();
  boost::system::error_code ec;
  boost::json::value document = boost::json::parse(buffer.str(), ec);
  if (ec) return Fail(file + " is not valid JSON: " + ec.message());
  if (ContainsNaN(document)) {
    return Fail(file + " holds a number that reads as NaN (such as 0E831): nothing imported");
  }
  auto opened = OpenProjectStore(root, choice);
  if (!opened) return Fail(opened.error().message);
  auto counts = ImportStore(*opened->store, document);
  if (!counts) return Fail("nothing imported: " + counts.error().message);
  std::cerr << "imported " << counts->sessions << " sessions and " << counts->annotations
            << " annotations\n";
  return 0;
}

}  // namespace

void AddExportCommands(CLI::App& app, Action& run) {
  struct Options {
    std::optional<std::string> root;
    StoreChoice store;
    std::optional<std::string> out;
    std::string file;
  };
  auto options = std::make_shared<Options>();

  auto* exp = app.add_subcommand("export", "print the store as ng-annotate-mcp's store.json");
  AddRootOption(exp, options->root);
  AddStoreOptions(exp, options->store);
  exp->add_option("--out", options->out, "write to FILE instead of stdout");
  exp->final_callback([&run, options] {
    run = [options] { return RunExport(options->root, options->store, options->out); };
  });

  auto* imp = app.add_subcommand("import", "merge a store.json (ng-annotate-mcp's shape) in");
  AddRootOption(imp, options->root);
  AddStoreOptions(imp, options->store);
  imp->add_option("file", options->file, "the JSON file to import")->required();
  imp->final_callback([&run, options] {
    run = [options] { return RunImport(options->root, options->store, options->file); };
  });
}

}  // namespace nga::cli
