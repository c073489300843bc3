// The PostgreSQL the unit tests run the store against: a throwaway cluster
// started by scripts/pg-test-cluster.sh (see there for how and as whom).
//
// Under ctest the cluster is a fixture shared by every test process
// (tests/CMake: NGA_TEST_PG_URL is set); run by hand, unit_tests starts its own
// on first use and stops it when the process exits. Either way one cluster
// per run, not per test: each test gets a project of its own instead (see
// test_util.h), so tests never see each other's rows.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace nga::testing {

class PostgresTestCluster {
 public:
  // The URL of the cluster; empty (and a test failure) when none can start.
  static const std::string& Url() {
    static PostgresTestCluster cluster;
    if (cluster.url_.empty()) ADD_FAILURE() << "no PostgreSQL for the tests: " << cluster.error_;
    return cluster.url_;
  }

  // Restarts the server (`mode`: fast or immediate). Only for a cluster this
  // process started: a shared one belongs to every test process.
  static bool Restart(const char* mode) {
    static_cast<void>(Url());
    auto& dir = Dir();
    if (dir.empty()) return false;
    return std::system((Script() + " restart " + dir + " " + mode).c_str()) == 0;
  }

  ~PostgresTestCluster() {
    if (!Dir().empty()) std::system((Script() + " stop " + Dir() + " >/dev/null 2>&1").c_str());
  }

 private:
  PostgresTestCluster() {
    if (const char* shared = std::getenv("NGA_TEST_PG_URL"); shared && *shared) {
      url_ = shared;
      return;
    }
#if defined(_WIN32)
    // No PostgreSQL store under Wine here (test_util.h: TestBackends), and
    // scripts/pg-test-cluster.sh is a POSIX shell script.
    error_ = "the Windows build's tests start no PostgreSQL (set NGA_TEST_PG_URL)";
#else
    std::string pattern = "/tmp/nga-pg-XXXXXX";
    if (!mkdtemp(pattern.data())) {
      error_ = "mkdtemp failed";
      return;
    }
    Dir() = pattern;
    FILE* out = popen((Script() + " start " + Dir() + " 2>&1").c_str(), "r");
    std::array<char, 512> line{};
    std::string text;
    while (out && fgets(line.data(), line.size(), out)) text += line.data();
    int rc = out ? pclose(out) : -1;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    if (rc != 0) {
      error_ = text;
      return;
    }
    url_ = text.substr(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
#endif
  }

  static std::string Script() {
    return std::string(NGA_SOURCE_DIR) + "/scripts/pg-test-cluster.sh";
  }
  static std::string& Dir() {
    static std::string dir;
    return dir;
  }

  std::string url_;
  std::string error_;
};

}  // namespace nga::testing
