#include "cli/serve_daemon.h"

#include <fmt/format.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <functional>

#include "auth/forwarded.h"
#include "auth/gate.h"
#include "auth/open_credentials.h"
#include "auth/signin_route.h"
#include "browser/build_manifest_route.h"
#include "browser/hub.h"
#include "browser/notice_route.h"
#include "browser/origins_route.h"
#include "browser/routes.h"
#include "browser/screenshot_route.h"
#include "cli/commands.h"
#include "cli/daemon_file.h"
#include "cli/stop_signals.h"
#include "manifest/manifest_index.h"
#include "manifest/manifest_watcher.h"
#include "mcp/http_transport.h"
#include "mcp/services.h"
#include "net/proxy.h"
#include "net/server.h"
#include "store/change_feed.h"
#include "store/pg_store.h"
#include "store/root.h"
#include "store/store.h"
#include "store/write_queue.h"
#include "util/time.h"

namespace nga::cli {
namespace {

namespace asio = boost::asio;

constexpr auto kSyncInterval = std::chrono::milliseconds(2000);
constexpr auto kShutdownDeadline = std::chrono::seconds(3);

bool IsLoopbackHost(std::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]";
}

bool IsWildcardHost(std::string_view host) { return host == "0.0.0.0" || host == "::"; }

std::string UrlHost(const std::string& host) {
  return host.find(':') != std::string::npos && host.front() != '[' ? "[" + host + "]" : host;
}

net::AccessPolicy MakePolicy(const ServeConfig& config,
                             std::shared_ptr<const net::OriginRegistry> registered) {
  net::AccessPolicy policy;
  // Team mode: a page on some other loopback port is no preview of ours.
  policy.SetStrictOrigins(config.strict_origins || TeamModeFor(config));
  policy.UseRegistry(std::move(registered));
  for (const auto& host : config.allow_hosts) policy.AllowHost(host);
  for (const auto& origin : config.allow_origins) policy.AllowOrigin(origin);
  // A page served from the address we bind to names it in Host.
  if (!IsLoopbackHost(config.host) && !IsWildcardHost(config.host)) {
    policy.AllowHost(UrlHost(config.host));
  }
  return policy;
}

// Every 2 s: annotations:sync to every socket, from the Hub's memory.
void ScheduleSync(asio::steady_timer& timer, browser::Hub& hub) {
  timer.expires_after(kSyncInterval);
  timer.async_wait([&timer, &hub](boost::system::error_code ec) {
    if (ec) return;
    hub.SyncAll();
    ScheduleSync(timer, hub);
  });
}

std::chrono::milliseconds Millis(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

net::ProxyOptions ProxyOptionsFor(net::Upstream upstream, const ServeConfig& config) {
  net::ProxyOptions options{.upstream = std::move(upstream)};
  const ProxyTuning& tuning = config.proxy_tuning;
  options.limits.connect_timeout = Millis(tuning.connect_timeout);
  options.limits.response_timeout = Millis(tuning.response_timeout);
  options.limits.idle_timeout = Millis(tuning.idle_timeout);
  options.limits.request_body_timeout = Millis(tuning.body_timeout);
  options.limits.min_request_body_rate = tuning.body_min_rate;
  options.limits.max_upstream_connections = tuning.max_connections;
  return options;
}

}  // namespace

bool TeamModeFor(const ServeConfig& config) {
  if (config.team) return true;
  auto url = EffectiveStoreUrl(config.store);
  return !IsLoopbackHost(config.host) && url && !url->empty();
}

int RunServe(const ServeConfig& config) {
  const bool team = TeamModeFor(config);
  if (team && config.proxy) {
    return Fail(
        "--proxy cannot be used in team mode: the proxied app's own requests carry no "
        "token. Serve the preview build elsewhere and load the overlay from this server");
  }
  std::optional<net::Upstream> upstream;
  if (config.proxy) {
    auto parsed = net::ParseUpstream(*config.proxy);
    if (!parsed) return Fail(parsed.error().message);
    upstream = std::move(*parsed);
  }
  auto paths = ResolveProject(config.root);
  if (!paths) return Fail(paths.error().message);
  // serve is the long-lived writer: its WAL checkpoints run on their own thread.
  auto opened = OpenChosenStore(*paths, config.store, StoreOptions{.background_checkpoint = true});
  if (!opened) return Fail(opened.error().message);
  std::unique_ptr<Store> store = std::move(*opened);
  // No browser can be connected to a daemon that is only starting. (On a
  // shared PostgreSQL store, only this instance's and dead instances'
  // sessions: the others' sockets are live.)
  if (auto status = store->MarkAllSessionsInactive(); !status) {
    return Fail(status.error().message);
  }

  asio::io_context io{1};
  auto started = ChangeFeed::Start(io.get_executor(), *store);
  if (!started) return Fail(started.error().message);
  std::shared_ptr<ChangeFeed> feed = std::move(*started);

  // The component manifest: scanned once now, then kept current by inotify.
  manifest::ManifestIndex manifest_index(paths->root);
  manifest_index.ScanAll();
  boost::json::object manifest_json = manifest_index.ToJson();
  auto current_manifest = [&manifest_json] { return manifest_json; };

  // Group commit: what the sockets and /mcp sessions change while the loop
  // is busy commits as one transaction; then the feed tells everyone.
  WriteQueue writes(io.get_executor(), *store);
  writes.OnCommit([&feed] { feed->Check(); });

  browser::HubOptions hub_options;
  hub_options.after_write = [&feed] { feed->Check(); };
  hub_options.writes = &writes;
  hub_options.manifest = current_manifest;
  browser::Hub hub(*store, std::move(hub_options));
  feed->Subscribe([&hub](const std::vector<Event>& events) { hub.OnEvents(events); });

  if (team) {
    fmt::print(stderr, "ng-annotate: team mode: every request needs a token of project '{}'\n",
               store->project().empty() ? std::string("default") : store->project());
  } else if (!IsLoopbackHost(config.host)) {
    fmt::print(stderr,
               "ng-annotate: warning: listening on {}, not loopback: other machines may reach "
               "this port, which feeds instructions to your agent\n",
               config.host);
  }
  // Team mode: the gate every request passes, and what is open under each
  // token, rechecked so that a revoke closes it.
  std::optional<auth::TeamGate> gate;
  auth::OpenCredentials credentials;
  if (team) {
    gate.emplace(*store, SystemNowMillis);
    // Which origins may use a reviewer's cookie is the admin's to say.
    gate->Require("/__annotate/origins", {TokenRole::kAdmin});
    // A preview build's manifest is pushed by CI or a developer (agent or
    // admin tokens), never by a reviewer's browser.
    gate->Require("/__annotate/builds", {TokenRole::kAgent, TokenRole::kAdmin});
  }
  net::ServerOptions options;
  if (gate) options.gate = gate->AsRequestGate();
  options.host = config.host;
  options.port = config.port;
  auto registered_origins = std::make_shared<net::OriginRegistry>();
  options.access = MakePolicy(config, registered_origins);
  auto listening = net::HttpServer::Listen(io, std::move(options));
  if (!listening) return Fail(listening.error().message);
  std::unique_ptr<net::HttpServer> server = std::move(*listening);
  // The secret of this daemon's proof of identity (cli/daemon_file.h).
  auto token = NewDaemonToken();
  if (!token) return Fail(token.error().message);
  browser::AddBrowserRoutes(*server, hub, *store, *paths, current_manifest, *token,
                            team ? &credentials : nullptr);
  if (team) {
    auth::AddSignInRoute(*server, *store, SystemNowMillis,
                         auth::TrustedProxies(config.trusted_proxies));
  }
  browser::AddOriginsRoute(*server, registered_origins);
  browser::AddScreenshotRoute(*server, *store);
  browser::AddBuildManifestRoute(*server, *store, writes);
  browser::AddNoticeRoute(*server,
                          [](const std::string& line) { fmt::print(stderr, "{}\n", line); });
  std::shared_ptr<manifest::ManifestWatcher> manifest_watcher;
  auto watching =
      manifest::ManifestWatcher::Start(io.get_executor(), manifest_index,
                                       [&manifest_json, &hub](const boost::json::object& changed) {
                                         manifest_json = changed;
                                         hub.BroadcastManifest(manifest_json);
                                       });
  if (watching) {
    manifest_watcher = std::move(*watching);
  } else {
    fmt::print(stderr, "ng-annotate: warning: the manifest will not follow changes: {}\n",
               watching.error().message);
  }
  // MCP over HTTP shares the store, the feed and the loop with the browsers.
  mcp::Services services{*store, *feed, io.get_executor()};
  services.writes = &writes;
  mcp::HttpTransport mcp_http(services, {.access = MakePolicy(config, nullptr),
                                         .credentials = team ? &credentials : nullptr});
  server->Route("/mcp", mcp_http.Handler());
  if (upstream) EnableProxy(*server, io.get_executor(), ProxyOptionsFor(*upstream, config));
  server->Start();

  // Signals are caught before the listening line goes out: whoever reads it
  // may send SIGTERM at once, and that must be a clean shutdown.
  asio::steady_timer sync_timer(io);
  ScheduleSync(sync_timer, hub);
  // Several instances on one PostgreSQL: this one's lease, and the sessions
  // of one that died made inactive (Store::RenewInstanceLease).
  asio::steady_timer lease_timer(io);
  std::function<void()> renew_lease = [&] {
    lease_timer.expires_after(std::chrono::milliseconds(kInstanceRenewInterval));
    lease_timer.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      if (auto ok = store->RenewInstanceLease(); !ok) {
        fmt::print(stderr, "ng-annotate: {}\n", ok.error().message);
      }
      feed->Check();
      renew_lease();
    });
  };
  if (!store->postgres_url().empty()) renew_lease();
  // Team mode: sockets and /mcp sessions of a token revoked (by any process
  // sharing the store) or expired are closed within kRecheckInterval.
  asio::steady_timer recheck_timer(io);
  std::function<void()> recheck = [&] {
    recheck_timer.expires_after(auth::kRecheckInterval);
    recheck_timer.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      if (credentials.size() > 0) {
        if (auto ok = credentials.Recheck(*store, SystemNowMillis()); !ok) {
          fmt::print(stderr, "ng-annotate: cannot recheck tokens: {}\n", ok.error().message);
        }
      }
      recheck();
    });
  };
  if (team) recheck();

  // Shutdown: stop accepting, close the sockets (1001) and wait for them,
  // with a deadline; the store is closed when this function returns.
  asio::steady_timer deadline(io);
  StopSignals signals(io);
  signals.AsyncWait([&](std::string_view what) {
    fmt::print(stderr, "ng-annotate: {} received, shutting down\n", what);
    sync_timer.cancel();
    lease_timer.cancel();
    recheck_timer.cancel();
    if (manifest_watcher) manifest_watcher->Stop();
    mcp_http.Close();  // blocked MCP calls end now, before their sockets do
    deadline.expires_after(kShutdownDeadline);
    deadline.async_wait([&io](boost::system::error_code ec) {
      if (!ec) io.stop();
    });
    server->Shutdown([&] {
      deadline.cancel();
      feed->Stop();
    });
  });

  const std::string url = fmt::format("http://{}:{}", UrlHost(config.host), server->port());
  boost::json::object line{{"event", "listening"},
                           {"url", url},
                           {"port", server->port()},
                           {"root", paths->root.string()},
                           {"store", store->path().string()},
                           {"project", store->project()}};
  // Discovery for dev-server integrations (C1), written once we listen and
  // before the listening line, so whoever reads that line finds the file.
  const long pid = static_cast<long>(::getpid());
  const auto daemon_file = DaemonFilePath(paths->store_dir);
  if (auto written = WriteDaemonFile(daemon_file, {pid, server->port(), url, paths->root.string(),
                                                   FormatIso8601(SystemNowMillis()), *token});
      !written) {
    fmt::print(stderr, "ng-annotate: warning: {}\n", written.error().message);
  }

  if (upstream) line["proxy"] = upstream->url;
  if (team) line["team"] = true;
  std::fputs((boost::json::serialize(line) + "\n").c_str(), stdout);
  std::fflush(stdout);
  fmt::print(stderr, "ng-annotate: serving {} on {}\n", paths->root.string(), url);
  if (upstream) {
    fmt::print(stderr, "ng-annotate: proxying {}: open {}/ instead\n", upstream->url, url);
  }

  io.run();
  writes.Flush();  // the loop may have stopped with a batch open
  if (manifest_watcher) manifest_watcher->Stop();
  feed->Stop();
  // Whatever did not close in time is not connected any more either.
  (void)store->MarkAllSessionsInactive();
  RemoveDaemonFileIfOwn(daemon_file, pid, *token);
  fmt::print(stderr, "ng-annotate: stopped\n");
  return 0;
}

}  // namespace nga::cli
