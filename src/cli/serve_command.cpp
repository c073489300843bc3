// `ng-annotate serve`: options in, RunServe (serve_daemon.h) out.
#include <memory>

#include "cli/commands.h"
#include "cli/serve_daemon.h"

namespace nga::cli {

void AddServeCommand(CLI::App& app, Action& run) {
  auto* sub =
      app.add_subcommand("serve", "the daemon: HTTP, WebSocket and MCP over HTTP on one port");
  auto config = std::make_shared<ServeConfig>();
  AddRootOption(sub, config->root);
  AddStoreOptions(sub, config->store);
  sub->add_option("--port", config->port, "TCP port (0: any free port; the chosen one is printed)")
      ->default_val(kDefaultServePort);
  sub->add_option("--host", config->host,
                  "address to bind (anything but loopback prints a warning)")
      ->default_val("127.0.0.1");
  sub->add_option("--proxy", config->proxy,
                  "front this dev server on the same port, e.g. http://localhost:4200: every "
                  "other request and upgrade is forwarded, HTML pages get the overlay");
  sub->add_option("--proxy-connect-timeout", config->proxy_tuning.connect_timeout,
                  "seconds to connect to the --proxy upstream before a 502")
      ->default_val(3.0)
      ->check(CLI::PositiveNumber);
  sub->add_option("--proxy-response-timeout", config->proxy_tuning.response_timeout,
                  "seconds the upstream may take to start answering before a 504")
      ->default_val(120.0)
      ->check(CLI::PositiveNumber);
  sub->add_option("--proxy-idle-timeout", config->proxy_tuning.idle_timeout,
                  "seconds a proxied body may stall (either way) before it is cut")
      ->default_val(300.0)
      ->check(CLI::PositiveNumber);
  sub->add_option("--proxy-body-timeout", config->proxy_tuning.body_timeout,
                  "seconds a proxied request body gets to arrive, plus one per "
                  "--proxy-body-min-rate bytes that did; a slower body is cut with a 408")
      ->default_val(10.0)
      ->check(CLI::PositiveNumber);
  sub->add_option("--proxy-body-min-rate", config->proxy_tuning.body_min_rate,
                  "bytes per second a proxied request body must keep up after "
                  "--proxy-body-timeout")
      ->default_val(1024)
      ->check(CLI::PositiveNumber);
  sub->add_option("--proxy-max-connections", config->proxy_tuning.max_connections,
                  "upstream connections open at once (requests + WebSockets); more get a 503")
      ->default_val(256)
      ->check(CLI::PositiveNumber);
  sub->add_option("--allow-origin", config->allow_origins,
                  "also accept pages from this origin, e.g. https://dev.example.com:8443 "
                  "(repeatable; loopback origins are always accepted)");
  sub->add_option("--allow-host", config->allow_hosts,
                  "also accept this Host name (repeatable; loopback names are always accepted)");
  sub->add_flag("--strict-origins", config->strict_origins,
                "accept browser origins only when they are this daemon's own, an --allow-origin "
                "or registered by a dev-server integration (POST /__annotate/origins), not every "
                "loopback port");
  sub->add_flag("--team", config->team,
                "team mode: every request needs a token of the project (ng-annotate token "
                "create), loopback included; implied by a non-loopback --host with --store URL");
  sub->add_option("--trust-proxy", config->trusted_proxies,
                  "the address of a reverse proxy that terminates TLS: its X-Forwarded-Proto is "
                  "believed (repeatable; from anyone else it is ignored)");
  sub->final_callback([&run, config] { run = [config] { return RunServe(*config); }; });
}

}  // namespace nga::cli
