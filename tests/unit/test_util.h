// Helpers shared by the unit tests.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "pg_test_cluster.h"
#include "store/pg_store.h"
#include "store/screenshot.h"
#include "store/store.h"
#include "util/base64.h"
#include "util/watch_backend.h"

namespace nga::testing {

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  // What mkdtemp does, with nothing but std::filesystem (the Windows build's
  // tests run too): a random name, created only if it did not exist.
  TempDir() {
    std::random_device random;
    for (int attempt = 0; attempt < 100 && path_.empty(); ++attempt) {
      auto candidate =
          std::filesystem::temp_directory_path() / fmt::format("nga-test-{:08x}", random());
      std::error_code error;
      if (std::filesystem::create_directory(candidate, error)) path_ = candidate;
    }
    if (path_.empty()) ADD_FAILURE() << "no temporary directory could be created";
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A clock the test moves by hand.
struct FakeClock {
  Millis now = 1'764'000'000'000;  // 2025-11-24T...
  Clock AsClock() {
    return [this] { return now; };
  }
};

// The two store backends the store suites run against (SPEC §3: "one test
// suite" for both).
enum class Backend { kSqlite, kPostgres };

// The backends this build's store suites run against. The Windows build has
// SQLite only here: its PostgreSQL store loads libpq.dll at run time, and
// this machine has no Windows libpq (Debian ships none) for Wine to load.
inline std::vector<Backend> TestBackends() {
#if defined(_WIN32)
  return {Backend::kSqlite};
#else
  return {Backend::kSqlite, Backend::kPostgres};
#endif
}

// The watch backends this build has: both on Linux, the portable one
// elsewhere (the Windows build's tests under Wine).
inline std::vector<WatchBackend> TestWatchBackends() {
  if (kHasNativeWatch) return {WatchBackend::kNative, WatchBackend::kPortable};
  return {WatchBackend::kPortable};
}

// Runs `sql` on the SQLite database `file` outside the store (a file as an
// older or newer binary would have left it), through SQLite's own API rather
// than the sqlite3 shell, which a Windows build's tests cannot count on.
inline void ExecSqlite(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open(file.string().c_str(), &db);
  char* message = nullptr;
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  EXPECT_EQ(rc, SQLITE_OK) << (message ? message : sqlite3_errmsg(db));
  sqlite3_free(message);
  sqlite3_close(db);
}

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// A store for the test: SQLite in the temp dir, or PostgreSQL in the test
// cluster under a project named after the temp dir (so two stores opened on
// one dir share their rows, as two SQLite connections to one file do, and
// no two tests share any). options.project names another project in the
// same file or database (on PostgreSQL prefixed with the dir's name, so it
// is still the test's own). Fails the test if it cannot be opened.
inline std::unique_ptr<Store> OpenTestStore(const TempDir& dir, StoreOptions options = {},
                                            Backend backend = Backend::kSqlite) {
  std::string pg_project = dir.path().filename().string();
  if (!options.project.empty()) pg_project += "-" + options.project;
  auto store = backend == Backend::kSqlite
                   ? Store::Open(dir.path() / ".ng-annotate" / "store.db", std::move(options))
                   : OpenPostgresStore(PostgresTestCluster::Url(), pg_project, std::move(options));
  if (!store) {
    ADD_FAILURE() << store.error().message;
    return nullptr;
  }
  return std::move(*store);
}

// The smallest valid annotation:create payload.
inline boost::json::object Payload(std::string text = "make this button primary") {
  return boost::json::object{{"annotationText", text},
                             {"componentName", "ButtonComponent"},
                             {"componentFilePath", "src/app/button.component.ts"},
                             {"selector", "app-button"}};
}

// A payload with the page context the overlay adds (issue 18): a page log
// with one entry of each kind, computed styles and the ARIA role and name.
inline boost::json::object PayloadWithPageContext(std::string text = "make this button primary") {
  boost::json::object payload = Payload(std::move(text));
  payload["pageLog"] = boost::json::object{
      {"console", boost::json::array{{{"level", "error"}, {"message", "boom from page"}}}},
      {"errors", boost::json::array{{{"kind", "error"},
                                     {"message", "Error: uncaught boom"},
                                     {"stack", "Error: uncaught boom\n    at http://x/a.js:1:2"}}}},
      {"requests",
       boost::json::array{
           {{"kind", "fetch"}, {"method", "GET"}, {"url", "http://x/missing"}, {"status", 404}}}}};
  payload["computedStyles"] =
      boost::json::object{{"display", "flex"}, {"color", "rgb(255, 0, 0)"}, {"z-index", "3"}};
  payload["accessibility"] = boost::json::object{{"role", "button"}, {"name", "Buy now"}};
  return payload;
}

// A 37 x 23 PNG as Chromium's canvas.toDataURL('image/png') encodes it: a
// real image for the screenshot tests of both store backends and of the tools.
inline constexpr std::string_view kTinyPngBase64 =
    "iVBORw0KGgoAAAANSUhEUgAAACUAAAAXCAYAAACMLIalAAAARklEQVR4AezSsQkAQAgEwce2vjuLNtUWNlRYwewCGS9+"
    "Vm/"
    "beAvHo+hTlFKKCtCcnVKKCtCcnVKKCtCcnVKKCtCcnTotNQAAAP//HecRxQAAAAZJREFUAwBlrWPp/"
    "DzA1AAAAABJRU5ErkJggg==";

inline Screenshot TinyPng(ScreenshotKind kind = ScreenshotKind::kBefore) {
  auto shot = MakeScreenshot(kind, *Base64Decode(kTinyPngBase64));
  EXPECT_TRUE(shot) << shot.error().message;
  return shot ? *shot : Screenshot{};
}

}  // namespace nga::testing
