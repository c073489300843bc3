// Placeholder until its issue lands: registers the subcommand so --help is
// complete, and says plainly that it is not there yet.
#include "cli/commands.h"

namespace nga::cli {

void AddMcpCommand(CLI::App& app, Action& run) {
  auto* sub = app.add_subcommand("mcp", "MCP over stdio (what .mcp.json runs)");
  sub->allow_extras();
  sub->final_callback([&run] { run = [] { return Fail("'mcp' is not built yet"); }; });
}

}  // namespace nga::cli
