// Placeholder until its issue lands: registers the subcommand so --help is
// complete, and says plainly that it is not there yet.
#include "cli/commands.h"

namespace nga::cli {

void AddServeCommand(CLI::App& app, Action& run) {
  auto* sub =
      app.add_subcommand("serve", "the daemon: HTTP, WebSocket and MCP over HTTP on one port");
  sub->allow_extras();
  sub->final_callback([&run] { run = [] { return Fail("'serve' is not built yet"); }; });
}

}  // namespace nga::cli
