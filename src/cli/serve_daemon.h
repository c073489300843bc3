// `ng-annotate serve`: the daemon. Opens the store, serves the browser
// protocol, the /__annotate routes and MCP at /mcp on one port, pushes the
// change feed to the browsers, and shuts down cleanly on SIGINT/SIGTERM.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/open_store.h"

namespace nga::cli {

// Not 4747: that is agentation-mcp's port, and both may run side by side.
inline constexpr std::uint16_t kDefaultServePort = 4750;

// serve --proxy-*: limits of the proxy, in seconds / connections (net::ProxyLimits).
struct ProxyTuning {
  double connect_timeout = 3;
  double response_timeout = 120;
  double idle_timeout = 300;
  double body_timeout = 10;
  std::uint64_t body_min_rate = 1024;
  std::size_t max_connections = 256;
};

struct ServeConfig {
  std::optional<std::string> root;
  StoreChoice store;  // --store, --project
  std::string host = "127.0.0.1";
  std::uint16_t port = kDefaultServePort;  // 0: any free port
  // serve --proxy: the dev server to front on this port (net/proxy.h); the
  // listening line then also has "proxy":"http://localhost:4200".
  std::optional<std::string> proxy;
  ProxyTuning proxy_tuning;
  std::vector<std::string> allow_origins;
  std::vector<std::string> allow_hosts;
  // Browser origins: only our own, --allow-origin and registered ones (C1).
  bool strict_origins = false;
  // Team mode (issue 20; auth/gate.h): every request needs a token of the
  // store's project. Also on when --host is not loopback and --store names
  // a URL.
  bool team = false;
  // Reverse proxies whose X-Forwarded-Proto is believed (auth/forwarded.h).
  std::vector<std::string> trusted_proxies;
};

// Whether `config` runs in team mode: --team, or a non-loopback --host with
// a --store URL (a shared deployment).
bool TeamModeFor(const ServeConfig& config);

// Runs until SIGINT/SIGTERM. Once listening, prints one line on stdout:
//   {"event":"listening","url":"http://127.0.0.1:PORT","port":PORT,
//    "root":"/abs/root","store":"/abs/root/.ng-annotate/store.db"}
// having first written <root>/.ng-annotate/daemon.json (cli/daemon_file.h), removed
// again on a clean shutdown. Logs go to stderr. Returns the exit code (0 after a clean shutdown).
int RunServe(const ServeConfig& config);

}  // namespace nga::cli
