// `ng-annotate mcp [--root DIR]`: MCP over stdio, what .mcp.json runs.
//
// One thread, one io_context owning the Store and its ChangeFeed; stdout
// carries only MCP messages, diagnostics go to stderr. EOF on stdin (the
// client went away), SIGINT or SIGTERM end it cleanly with exit code 0; a
// store that cannot be opened ends it with exit code 1 and a line on stderr.
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "mcp/services.h"
#include "mcp/stdio_transport.h"
#include "store/change_feed.h"
#include "store/root.h"

namespace nga::cli {

namespace {

int RunMcp(const std::optional<std::string>& root) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout is an error value, not a death
  auto paths = ResolveProject(root);
  if (!paths) return Fail(paths.error().message);

  boost::asio::io_context io(1);
  // Opened by the transport when first needed (see StdioTransport::StartLazily),
  // on this thread; destroyed after the transport, in reverse order.
  std::unique_ptr<Store> store;
  std::shared_ptr<ChangeFeed> feed;
  std::optional<mcp::Services> services;
  bool open_failed = false;
  auto open = [&]() -> mcp::Services* {
    // Checkpoints off this thread, as in serve: SQLite's default runs them
    // inside the commit that crosses the threshold, and that commit's tool
    // call then took 6-11 ms instead of ~0.6 (the resolve figure's p99).
    auto opened = Store::Open(paths->db_file, StoreOptions{.background_checkpoint = true});
    if (!opened) {
      open_failed = true;
      Fail(opened.error().message);
      return nullptr;
    }
    store = std::move(*opened);
    auto started = ChangeFeed::Start(io.get_executor(), *store);
    if (!started) {
      open_failed = true;
      Fail(started.error().message);
      return nullptr;
    }
    feed = std::move(*started);
    return &services.emplace(mcp::Services{*store, *feed, io.get_executor()});
  };

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  auto transport =
      mcp::StdioTransport::StartLazily(io.get_executor(), open, STDIN_FILENO, STDOUT_FILENO, [&] {
        signals.cancel();
        if (feed) feed->Stop();
      });
  // Right after the first read: an initialize already waiting is answered
  // first; otherwise the store opens now, so a broken store fails at once.
  boost::asio::post(io, [&] { transport->OpenServices(); });
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) transport->Stop();
  });
  io.run();
  transport.reset();  // before the feed and the store it uses
  return open_failed ? 1 : 0;
}

}  // namespace

void AddMcpCommand(CLI::App& app, Action& run) {
  auto* sub = app.add_subcommand("mcp", "MCP over stdio (what .mcp.json runs)");
  auto root = std::make_shared<std::optional<std::string>>();
  AddRootOption(sub, *root);
  sub->final_callback([&run, root] { run = [root] { return RunMcp(*root); }; });
}

}  // namespace nga::cli
