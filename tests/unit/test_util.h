// Helpers shared by the unit tests.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "pg_test_cluster.h"
#include "store/pg_store.h"
#include "store/screenshot.h"
#include "store/store.h"
#include "util/base64.h"

namespace nga::testing {

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "nga-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
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
