#include "manifest/manifest_index.h"

#if !defined(_WIN32)
#include <fcntl.h>
#include <unistd.h>
#endif

#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

#include "manifest/component_parser.h"
#include "store/root.h"

namespace nga::manifest {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The whole file, or nullopt when it cannot be read.
std::optional<std::string> ReadFile(const fs::path& file) {
#if defined(_WIN32)
  // std::ifstream takes the wide path Windows needs for names outside the
  // ANSI code page.
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return data;
#else
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string data;
  char buffer[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return data;
#endif
}

bool UnderSkippedDirectory(const fs::path& relative) {
  for (const auto& part : relative.parent_path()) {
    if (IsSkippedDirectory(part.string())) return true;
  }
  return false;
}

}  // namespace

bool IsSkippedDirectory(std::string_view name) {
  return name == "node_modules" || name == "dist" || name == ".angular" || name == ".git" ||
         name == ".ng-annotate";
}

bool IsScannedFile(std::string_view name) {
  return EndsWith(name, ".ts") && !EndsWith(name, ".spec.ts") && !EndsWith(name, ".d.ts");
}

ManifestIndex::ManifestIndex(fs::path root) : root_(std::move(root)) {}

void ManifestIndex::ScanAll() {
  files_.clear();
  ScanDirectory(root_);
}

void ManifestIndex::ScanDirectory(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    std::error_code type_ec;
    std::string name = entry.path().filename().string();
    if (entry.is_symlink(type_ec)) continue;  // no loops, no scanning outside the root
    if (entry.is_directory(type_ec)) {
      if (!IsSkippedDirectory(name)) ScanDirectory(entry.path());
    } else if (IsScannedFile(name) && entry.is_regular_file(type_ec)) {
      if (auto source = ReadFile(entry.path())) SetSource(entry.path(), *source);
    }
  }
}

void ManifestIndex::UpdateFile(const fs::path& file) {
  std::string relative = RelativeToRoot(root_, file);
  std::optional<std::string> source;
  if (IsScannedFile(file.filename().string()) && !UnderSkippedDirectory(relative)) {
    source = ReadFile(file);
  }
  if (source) {
    SetSource(file, *source);
  } else {
    files_.erase(relative);
  }
}

void ManifestIndex::RemoveUnder(const fs::path& dir) {
  std::string prefix = RelativeToRoot(root_, dir);
  if (prefix == ".") {
    files_.clear();
    return;
  }
  files_.erase(prefix);
  prefix += '/';
  auto it = files_.lower_bound(prefix);
  while (it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0) {
    it = files_.erase(it);
  }
}

void ManifestIndex::SetSource(const fs::path& file, std::string_view source) {
  std::string relative = RelativeToRoot(root_, file);
  std::vector<ParsedComponent> parsed = ParseComponents(source);
  if (parsed.empty()) {
    files_.erase(relative);
    return;
  }
  std::vector<ComponentEntry> entries;
  entries.reserve(parsed.size());
  for (auto& component : parsed) {
    ComponentEntry entry{std::move(component.class_name), relative, std::nullopt,
                         std::move(component.selector)};
    if (component.template_url) {
      fs::path resolved = (file.parent_path() / *component.template_url).lexically_normal();
      entry.template_file = RelativeToRoot(root_, resolved);
    }
    entries.push_back(std::move(entry));
  }
  files_[relative] = std::move(entries);
}

json::object ManifestIndex::ToJson() const {
  json::object manifest;
  for (const auto& [path, entries] : files_) {
    for (const auto& entry : entries) {
      if (manifest.contains(entry.class_name)) continue;
      json::object value;
      value["component"] = entry.component;
      if (entry.template_file) value["template"] = *entry.template_file;
      if (entry.selector) value["selector"] = *entry.selector;
      manifest[entry.class_name] = std::move(value);
    }
  }
  return manifest;
}

}  // namespace nga::manifest
