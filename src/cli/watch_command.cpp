// `ng-annotate watch [--root DIR]`: every new annotation, reply and status
// change, one line each, as it happens (see watch_lines.h for the lines).
//
// Event-driven: the store's change feed wakes it (inotify on the database
// files), it reads only the new events and prints them; nothing polls.
// SIGINT or SIGTERM end it with exit code 0; so does a closed stdout.
#include <boost/asio/io_context.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "cli/stop_signals.h"
#include "cli/watch_lines.h"
#include "store/change_feed.h"

namespace nga::cli {

namespace {

int RunWatch(const std::optional<std::string>& root, const StoreChoice& choice) {
  IgnoreBrokenPipe();
  // Like `mcp`, watch is a long-lived user of the store and creates it when
  // it is not there yet: it may well start before the daemon does.
  auto opened = OpenProjectStore(root, choice);
  if (!opened) return Fail(opened.error().message);
  Store& store = *opened->store;

  boost::asio::io_context io(1);
  auto feed = ChangeFeed::Start(io.get_executor(), store);
  if (!feed) return Fail(feed.error().message);
  auto printer = WatchPrinter::Start(store);
  if (!printer) return Fail(printer.error().message);

  StopSignals signals(io);
  auto stop = [&] {
    signals.Cancel();
    (*feed)->Stop();
    io.stop();
  };
  (*feed)->Subscribe([&](const std::vector<Event>& events) {
    for (const auto& line : printer->Lines(events)) std::cout << line << '\n';
    if (!std::cout.flush()) stop();  // nobody is reading any more
  });
  signals.AsyncWait([&](std::string_view) { stop(); });

  std::cout << "watching " << opened->paths.root.string()
            << " for annotations, replies and status changes (Ctrl+C to stop)" << std::endl;
  io.run();
  return 0;
}

}  // namespace

void AddWatchCommand(CLI::App& app, Action& run) {
  auto* sub = app.add_subcommand(
      "watch", "print new annotations, replies and status changes as they happen");
  auto root = std::make_shared<std::optional<std::string>>();
  auto choice = std::make_shared<StoreChoice>();
  AddRootOption(sub, *root);
  AddStoreOptions(sub, *choice);
  sub->final_callback(
      [&run, root, choice] { run = [root, choice] { return RunWatch(*root, *choice); }; });
}

}  // namespace nga::cli
