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
  sub->add_option("--port", config->port, "TCP port (0: any free port; the chosen one is printed)")
      ->default_val(kDefaultServePort);
  sub->add_option("--host", config->host,
                  "address to bind (anything but loopback prints a warning)")
      ->default_val("127.0.0.1");
  sub->add_option("--allow-origin", config->allow_origins,
                  "also accept pages from this origin, e.g. https://dev.example.com:8443 "
                  "(repeatable; loopback origins are always accepted)");
  sub->add_option("--allow-host", config->allow_hosts,
                  "also accept this Host name (repeatable; loopback names are always accepted)");
  sub->add_flag("--strict-origins", config->strict_origins,
                "accept browser origins only when they are this daemon's own, an --allow-origin "
                "or registered by a dev-server integration (POST /__annotate/origins), not every "
                "loopback port");
  sub->final_callback([&run, config] { run = [config] { return RunServe(*config); }; });
}

}  // namespace nga::cli
