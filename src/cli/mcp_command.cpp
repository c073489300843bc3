// `ng-annotate mcp [--root DIR]`: MCP over stdio, what .mcp.json runs.
//
// One event-loop thread owns the Store and its ChangeFeed (the store is
// opened on a short-lived thread of its own, see RunMcp); stdout
// carries only MCP messages, diagnostics go to stderr. EOF on stdin (the
// client went away), SIGINT or SIGTERM end it cleanly with exit code 0, at
// any point: before the first byte, while the store opens, during a blocked
// call. A store that cannot be opened ends it with exit code 1 and a line on
// stderr.
#include <unistd.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <thread>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "cli/stop_signals.h"
#include "mcp/services.h"
#include "mcp/stdio_transport.h"
#include "store/change_feed.h"
#include "store/root.h"

namespace nga::cli {

namespace {

int RunMcp(const std::optional<std::string>& root, const StoreChoice& choice) {
  IgnoreBrokenPipe();
  auto paths = ResolveProject(root);
  if (!paths) return Fail(paths.error().message);

  boost::asio::io_context io(1);
  // Opened when the transport first needs them (see StdioTransport::
  // StartLazily): the store on a thread of its own, so that EOF and signals
  // are still handled while it opens (a store another process holds locked
  // waits up to its 10 s busy timeout); the feed and services then on this
  // thread, which owns them. Destroyed after the transport, in reverse order.
  std::unique_ptr<Store> store;
  std::shared_ptr<ChangeFeed> feed;
  std::optional<mcp::Services> services;
  bool open_failed = false;
  bool closed = false;
  std::thread opener;
  std::atomic<bool> opener_done = false;

  auto open_on_this_thread = [&](Result<std::unique_ptr<Store>> opened) -> mcp::Services* {
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
  auto open = [&](mcp::StdioTransport::OpenDone done) {
    opener = std::thread([&, done = std::move(done)] {
      // Checkpoints off this thread, as in serve: SQLite's default runs them
      // inside the commit that crosses the threshold, and that commit's tool
      // call then took 6-11 ms instead of ~0.6 (the resolve figure's p99).
      auto opened = OpenChosenStore(*paths, choice, StoreOptions{.background_checkpoint = true});
      boost::asio::post(
          io, [&, done, opened = std::make_shared<decltype(opened)>(std::move(opened))]() mutable {
            // The client left while the store opened: close it unused, start no feed.
            if (closed) return;
            done(open_on_this_thread(std::move(*opened)));
          });
      opener_done = true;
    });
  };

  StopSignals signals(io);
  auto transport =
      mcp::StdioTransport::StartLazily(io.get_executor(), open, STDIN_FILENO, STDOUT_FILENO, [&] {
        // The output is flushed and nobody reads any more: stop all that
        // keeps the loop running, and open nothing more (see `open`).
        closed = true;
        signals.Cancel();
        if (feed) feed->Stop();
      });
  // Right after the first read: an initialize already waiting is answered
  // first; otherwise the store opens now, so a broken store fails at once.
  boost::asio::post(io, [&] { transport->OpenServices(); });
  signals.AsyncWait([&](std::string_view) { transport->Stop(); });
  io.run();
  int code = open_failed ? 1 : 0;
  if (opener.joinable() && !opener_done) {
    // Still inside Store::Open, which cannot be interrupted (a locked store
    // waits out its busy timeout): leave without it, as a kill would, which
    // the store is built to survive. Our output is written straight to the
    // descriptors, so nothing is lost.
    std::fflush(nullptr);
    std::_Exit(code);
  }
  if (opener.joinable()) opener.join();
  transport.reset();  // before the feed and the store it uses
  return code;
}

}  // namespace

void AddMcpCommand(CLI::App& app, Action& run) {
  auto* sub = app.add_subcommand("mcp", "MCP over stdio (what .mcp.json runs)");
  auto root = std::make_shared<std::optional<std::string>>();
  auto choice = std::make_shared<StoreChoice>();
  AddRootOption(sub, *root);
  AddStoreOptions(sub, *choice);
  sub->final_callback(
      [&run, root, choice] { run = [root, choice] { return RunMcp(*root, *choice); }; });
}

}  // namespace nga::cli
