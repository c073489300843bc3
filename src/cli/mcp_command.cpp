// `ng-annotate mcp [--root DIR]`: MCP over stdio, what .mcp.json runs.
//
// One thread, one io_context owning the Store and its ChangeFeed; stdout
// carries only MCP messages, diagnostics go to stderr. EOF on stdin (the
// client went away), SIGINT or SIGTERM end it cleanly with exit code 0.
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "mcp/services.h"
#include "mcp/stdio_transport.h"
#include "store/change_feed.h"

namespace nga::cli {

namespace {

int RunMcp(const std::optional<std::string>& root) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout is an error value, not a death
  auto opened = OpenProjectStore(root);
  if (!opened) return Fail(opened.error().message);
  Store& store = *opened->store;

  boost::asio::io_context io(1);
  auto feed = ChangeFeed::Start(io.get_executor(), store);
  if (!feed) return Fail(feed.error().message);

  mcp::Services services{store, **feed, io.get_executor()};
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  auto transport = mcp::StdioTransport::Start(services, STDIN_FILENO, STDOUT_FILENO, [&] {
    signals.cancel();
    (*feed)->Stop();
  });
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) transport->Stop();
  });
  io.run();
  transport.reset();  // before the feed and the store it uses
  return 0;
}

}  // namespace

void AddMcpCommand(CLI::App& app, Action& run) {
  auto* sub = app.add_subcommand("mcp", "MCP over stdio (what .mcp.json runs)");
  auto root = std::make_shared<std::optional<std::string>>();
  AddRootOption(sub, *root);
  sub->final_callback([&run, root] { run = [root] { return RunMcp(*root); }; });
}

}  // namespace nga::cli
