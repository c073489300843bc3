// Helpers shared by the unit tests.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "store/store.h"

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

// A store in a temp dir; fails the test if it cannot be opened.
inline std::unique_ptr<Store> OpenTestStore(const TempDir& dir, StoreOptions options = {}) {
  auto store = Store::Open(dir.path() / ".ng-annotate" / "store.db", std::move(options));
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

}  // namespace nga::testing
