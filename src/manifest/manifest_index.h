// The component manifest of a project (SPEC §7), kept per file so that a
// change rescans only the files it touched.
//
// Thread rules: not thread-safe; one thread owns an index (in `serve`, the
// io_context's thread, through ManifestWatcher).
#pragma once

#include <boost/json/object.hpp>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nga::manifest {

// One component class and its files, relative to the root with '/'.
struct ComponentEntry {
  std::string class_name;
  std::string component;                     // the .ts file
  std::optional<std::string> template_file;  // templateUrl resolved against it
  std::optional<std::string> selector;
};

// Directories never scanned nor watched: node_modules, dist, .angular, .git and
// .ng-annotate (the store, written on every commit).
bool IsSkippedDirectory(std::string_view name);
// A TypeScript file the manifest reads: *.ts but not *.spec.ts nor *.d.ts.
bool IsScannedFile(std::string_view name);

class ManifestIndex {
 public:
  // `root` should be absolute and normalised (ProjectPaths::root).
  explicit ManifestIndex(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }

  // Forgets everything and scans the whole tree.
  void ScanAll();

  // Rescans one file (absolute path): its entries are replaced, or removed
  // when it is gone, unreadable, or not a scanned file.
  void UpdateFile(const std::filesystem::path& file);

  // Forgets every file at or under `dir` (a deleted or moved-away directory).
  void RemoveUnder(const std::filesystem::path& dir);

  // Takes `source` as the contents of `file` (absolute), without reading it.
  void SetSource(const std::filesystem::path& file, std::string_view source);

  // {ClassName: {component, template?, selector?}}. Should two files declare
  // the same class name, the file whose path sorts first wins.
  boost::json::object ToJson() const;

  // Files with at least one component: relative path -> its components.
  const std::map<std::string, std::vector<ComponentEntry>>& files() const { return files_; }

 private:
  void ScanDirectory(const std::filesystem::path& dir);

  std::filesystem::path root_;
  std::map<std::string, std::vector<ComponentEntry>> files_;
};

}  // namespace nga::manifest
