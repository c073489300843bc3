// ManifestIndex over a temp project: the tree walk, skipped paths, template
// resolution, and incremental updates.
#include "manifest/manifest_index.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>

#include "test_util.h"

namespace nga::manifest {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

void Write(const fs::path& file, std::string_view text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

std::string Component(std::string_view name, std::string_view selector,
                      std::string_view template_url = "") {
  std::string out = "@Component({ selector: '" + std::string(selector) + "'";
  if (!template_url.empty()) out += ", templateUrl: '" + std::string(template_url) + "'";
  return out + " })\nexport class " + std::string(name) + " {}\n";
}

class ManifestIndexTest : public ::testing::Test {
 protected:
  fs::path At(std::string_view relative) { return dir_.path() / relative; }
  json::object Scan() {
    index_.ScanAll();
    return index_.ToJson();
  }

  testing::TempDir dir_;
  ManifestIndex index_{dir_.path()};
};

TEST(ManifestFiles, WhatIsScannedAndSkipped) {
  EXPECT_TRUE(IsScannedFile("app.component.ts"));
  EXPECT_FALSE(IsScannedFile("app.component.spec.ts"));
  EXPECT_FALSE(IsScannedFile("types.d.ts"));
  EXPECT_FALSE(IsScannedFile("app.component.html"));
  EXPECT_FALSE(IsScannedFile("app.tsx"));
  // .ng-annotate holds the store: its WAL changes on every commit, and
  // watching it woke the manifest watcher once per commit in `serve`.
  for (auto name : {"node_modules", "dist", ".angular", ".git", ".ng-annotate"}) {
    EXPECT_TRUE(IsSkippedDirectory(name)) << name;
  }
  EXPECT_FALSE(IsSkippedDirectory("src"));
}

TEST_F(ManifestIndexTest, BuildsTheManifestWithPathsRelativeToTheRoot) {
  Write(At("src/app/app.component.ts"), Component("AppComponent", "app-root", "./app.html"));
  Write(At("src/app/deep/x.component.ts"), Component("XComponent", "app-x", "../shared/b.html"));
  Write(At("src/app/inline.component.ts"),
        "@Component({ template: '<p></p>' })\nexport class InlineComponent {}\n");
  json::object expected = json::parse(R"({
    "AppComponent": {"component": "src/app/app.component.ts", "template": "src/app/app.html",
                     "selector": "app-root"},
    "XComponent": {"component": "src/app/deep/x.component.ts",
                   "template": "src/app/shared/b.html", "selector": "app-x"},
    "InlineComponent": {"component": "src/app/inline.component.ts"}
  })")
                              .as_object();
  EXPECT_EQ(Scan(), expected);
}

TEST_F(ManifestIndexTest, SkipsVendoredBuiltAndTestFiles) {
  Write(At("src/a.component.ts"), Component("A", "app-a"));
  Write(At("node_modules/lib/b.component.ts"), Component("B", "lib-b"));
  Write(At("dist/c.component.ts"), Component("C", "app-c"));
  Write(At(".angular/cache/d.component.ts"), Component("D", "app-d"));
  Write(At(".git/e.component.ts"), Component("E", "app-e"));
  Write(At("src/a.component.spec.ts"), Component("ASpec", "app-spec"));
  Write(At("src/types.d.ts"), Component("Decl", "app-decl"));
  Write(At("src/sub/node_modules/f.component.ts"), Component("F", "app-f"));
  json::object manifest = Scan();
  EXPECT_EQ(manifest.size(), 1u) << json::serialize(manifest);
  EXPECT_TRUE(manifest.contains("A"));
}

// POSIX only: the Windows build's C++ library cannot create symlinks (and on
// Windows making one takes a privilege a project's files rarely have).
#if !defined(_WIN32)
TEST_F(ManifestIndexTest, ASymlinkedDirectoryIsNotFollowed) {
  Write(At("src/a.component.ts"), Component("A", "app-a"));
  fs::create_directory_symlink(At("src"), At("src/loop"));
  EXPECT_EQ(Scan().size(), 1u);
  EXPECT_EQ(index_.files().size(), 1u);
}
#endif

TEST_F(ManifestIndexTest, RescanningAChangedFileReplacesItsEntries) {
  Write(At("src/a.component.ts"), Component("A", "app-a") + Component("A2", "app-a2"));
  Write(At("src/b.component.ts"), Component("B", "app-b"));
  EXPECT_EQ(Scan().size(), 3u);

  Write(At("src/a.component.ts"), Component("Renamed", "app-renamed"));
  index_.UpdateFile(At("src/a.component.ts"));
  json::object manifest = index_.ToJson();
  EXPECT_EQ(manifest.size(), 2u);
  EXPECT_TRUE(manifest.contains("Renamed"));
  EXPECT_TRUE(manifest.contains("B"));
  EXPECT_FALSE(manifest.contains("A"));
  EXPECT_FALSE(manifest.contains("A2"));
}

TEST_F(ManifestIndexTest, ADeletedFileLosesItsEntries) {
  Write(At("src/a.component.ts"), Component("A", "app-a"));
  Write(At("src/b.component.ts"), Component("B", "app-b"));
  Scan();
  fs::remove(At("src/a.component.ts"));
  index_.UpdateFile(At("src/a.component.ts"));
  EXPECT_EQ(index_.ToJson(), json::parse(R"({"B": {"component": "src/b.component.ts",
                                                    "selector": "app-b"}})")
                                 .as_object());
}

TEST_F(ManifestIndexTest, AFileThatStopsBeingAComponentIsDropped) {
  Write(At("src/a.component.ts"), Component("A", "app-a"));
  Scan();
  Write(At("src/a.component.ts"), "export class A {}\n");
  index_.UpdateFile(At("src/a.component.ts"));
  EXPECT_TRUE(index_.ToJson().empty());
  EXPECT_TRUE(index_.files().empty());
}

TEST_F(ManifestIndexTest, NewFilesAreAddedOneAtATime) {
  Scan();
  Write(At("src/new.component.ts"), Component("New", "app-new"));
  index_.UpdateFile(At("src/new.component.ts"));
  EXPECT_TRUE(index_.ToJson().contains("New"));
  // Paths the scan would skip stay out when named one by one too.
  Write(At("node_modules/x.component.ts"), Component("X", "x"));
  index_.UpdateFile(At("node_modules/x.component.ts"));
  Write(At("src/y.component.spec.ts"), Component("Y", "y"));
  index_.UpdateFile(At("src/y.component.spec.ts"));
  EXPECT_EQ(index_.ToJson().size(), 1u);
}

TEST_F(ManifestIndexTest, RemoveUnderForgetsADirectoryButNotItsNamesakes) {
  Write(At("src/feature/a.component.ts"), Component("A", "app-a"));
  Write(At("src/feature/sub/b.component.ts"), Component("B", "app-b"));
  Write(At("src/feature-two/c.component.ts"), Component("C", "app-c"));
  Scan();
  index_.RemoveUnder(At("src/feature"));
  json::object manifest = index_.ToJson();
  EXPECT_EQ(manifest.size(), 1u);
  EXPECT_TRUE(manifest.contains("C"));
}

TEST_F(ManifestIndexTest, SetSourceNeedsNoFile) {
  index_.SetSource(At("src/x/y.component.ts"), Component("Y", "app-y", "./y.html"));
  EXPECT_EQ(index_.ToJson(), json::parse(R"({"Y": {"component": "src/x/y.component.ts",
      "template": "src/x/y.html", "selector": "app-y"}})")
                                 .as_object());
}

TEST_F(ManifestIndexTest, TheFirstFileWinsADuplicateClassName) {
  index_.SetSource(At("src/b/dup.component.ts"), Component("Dup", "app-b"));
  index_.SetSource(At("src/a/dup.component.ts"), Component("Dup", "app-a"));
  EXPECT_EQ(index_.ToJson().at("Dup").at("selector"), "app-a");
}

}  // namespace
}  // namespace nga::manifest
