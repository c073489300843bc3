// The ways a user or the system asks a long-running command (serve, mcp,
// watch) to stop, on an Asio loop: SIGINT and SIGTERM everywhere; on Windows
// also Ctrl+Break and the console's close, logoff and shutdown events, which
// are no signals there (stop_signals_win32.cpp turns them into one).
//
// Thread rules: create, use and destroy it on the thread running `io`.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>
#include <string_view>

namespace nga::cli {

class StopSignals {
 public:
  explicit StopSignals(boost::asio::io_context& io);
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Calls on_stop once, on the loop, with what asked ("SIGINT", "SIGTERM",
  // "Ctrl+Break", ...). Never after Cancel().
  void AsyncWait(std::function<void(std::string_view what)> on_stop);
  void Cancel();

 private:
  boost::asio::signal_set signals_;
};

// A closed stdout becomes an error value (EPIPE), not the death of the
// process. Nothing to do on Windows, which has no SIGPIPE.
void IgnoreBrokenPipe();

}  // namespace nga::cli
