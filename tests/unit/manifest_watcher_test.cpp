// ManifestWatcher against a real temp tree: each test changes files and
// waits (with a generous deadline, never a fixed sleep) for the manifest the
// watcher reports.
#include "manifest/manifest_watcher.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <fstream>

#include "test_util.h"

namespace nga::manifest {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr auto kDeadline = std::chrono::seconds(20);

void Write(const fs::path& file, std::string_view text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

std::string Component(std::string_view name) {
  return "@Component({ selector: 'app-x' })\nexport class " + std::string(name) + " {}\n";
}

// Each backend (inotify, and the portable polling one macOS and Windows ship).
class ManifestWatcherTest : public ::testing::TestWithParam<WatchBackend> {
 protected:
  void SetUp() override {
    Write(At("src/app/app.component.ts"), Component("AppComponent"));
    index_.ScanAll();
    auto started = ManifestWatcher::Start(
        io_.get_executor(), index_,
        [this](const json::object& manifest) { seen_.push_back(manifest); },
        std::chrono::milliseconds(10), GetParam());
    ASSERT_TRUE(started) << started.error().message;
    watcher_ = std::move(*started);
  }
  void TearDown() override {
    if (watcher_) watcher_->Stop();
  }

  fs::path At(std::string_view relative) { return dir_.path() / relative; }

  // Runs the loop until a reported manifest satisfies `done`; returns it.
  template <class Predicate>
  json::object WaitFor(Predicate done) {
    auto give_up = std::chrono::steady_clock::now() + kDeadline;
    std::size_t checked = 0;
    while (std::chrono::steady_clock::now() < give_up) {
      for (; checked < seen_.size(); ++checked) {
        if (done(seen_[checked])) return seen_[checked];
      }
      io_.run_one_for(std::chrono::milliseconds(200));
    }
    ADD_FAILURE() << "no matching manifest within the deadline; last: "
                  << (seen_.empty() ? "none" : json::serialize(seen_.back()));
    return {};
  }

  testing::TempDir dir_;
  ManifestIndex index_{dir_.path()};
  boost::asio::io_context io_;
  std::shared_ptr<ManifestWatcher> watcher_;
  std::vector<json::object> seen_;
};

TEST_P(ManifestWatcherTest, ANewFileIsReported) {
  Write(At("src/app/new.component.ts"), Component("NewComponent"));
  json::object manifest = WaitFor([](const json::object& m) { return m.contains("NewComponent"); });
  EXPECT_TRUE(manifest.contains("AppComponent"));
  EXPECT_EQ(manifest.at("NewComponent").at("component"), "src/app/new.component.ts");
}

TEST_P(ManifestWatcherTest, ANewDirectoryIsWatchedAndItsFilesScanned) {
  Write(At("src/feature/deeper/f.component.ts"), Component("Feature"));
  WaitFor([](const json::object& m) { return m.contains("Feature"); });
  // The new directory has a watch of its own now.
  Write(At("src/feature/deeper/g.component.ts"), Component("Later"));
  WaitFor([](const json::object& m) { return m.contains("Later"); });
}

TEST_P(ManifestWatcherTest, ADeletedFileIsReported) {
  fs::remove(At("src/app/app.component.ts"));
  WaitFor([](const json::object& m) { return m.empty(); });
}

TEST_P(ManifestWatcherTest, AnEditIsReported) {
  Write(At("src/app/app.component.ts"), Component("Renamed"));
  json::object manifest = WaitFor([](const json::object& m) { return m.contains("Renamed"); });
  EXPECT_FALSE(manifest.contains("AppComponent"));
}

TEST_P(ManifestWatcherTest, DirectoriesMovedOutAndInAreFollowed) {
  Write(At("src/feature/f.component.ts"), Component("Feature"));
  WaitFor([](const json::object& m) { return m.contains("Feature"); });
  fs::rename(At("src/feature"), At("src/moved"));
  WaitFor([](const json::object& m) {
    return m.contains("Feature") && m.at("Feature").at("component") == "src/moved/f.component.ts";
  });
  testing::TempDir outside;
  fs::rename(At("src/moved"), outside.path() / "gone");
  WaitFor([](const json::object& m) { return !m.contains("Feature"); });
}

TEST_P(ManifestWatcherTest, OnlyChangesAreReported) {
  Write(At("src/app/plain.ts"), "export const x = 1;\n");
  Write(At("src/app/readme.md"), "not typescript\n");
  Write(At("node_modules/pkg/lib.component.ts"), Component("Vendored"));
  Write(At("src/app/last.component.ts"), Component("Last"));
  WaitFor([](const json::object& m) { return m.contains("Last"); });
  json::object previous = index_.ToJson();
  for (std::size_t i = 0; i < seen_.size(); ++i) {
    EXPECT_FALSE(seen_[i].contains("Vendored"));
    if (i > 0) {
      EXPECT_NE(seen_[i], seen_[i - 1]);
    }
  }
  EXPECT_EQ(seen_.back(), previous);
}

INSTANTIATE_TEST_SUITE_P(Backends, ManifestWatcherTest,
                         ::testing::ValuesIn(testing::TestWatchBackends()), [](const auto& info) {
                           return info.param == WatchBackend::kNative ? "Native" : "Portable";
                         });

}  // namespace
}  // namespace nga::manifest
