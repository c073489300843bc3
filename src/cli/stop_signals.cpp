#include "cli/stop_signals.h"

#include <csignal>

#if defined(_WIN32)
#include <windows.h>
#endif

namespace nga::cli {
namespace {

#if defined(_WIN32)
// Windows calls this on a thread of its own. Raising the matching C signal
// hands the event to Asio's signal_set (its C runtime handler posts to the
// loop under a lock), so no state of ours is shared with that thread.
BOOL WINAPI OnConsoleEvent(DWORD event) {
  switch (event) {
    case CTRL_C_EVENT:
      std::raise(SIGINT);
      return TRUE;
    case CTRL_BREAK_EVENT:
      std::raise(SIGBREAK);
      return TRUE;
    case CTRL_CLOSE_EVENT:
    case CTRL_LOGOFF_EVENT:
    case CTRL_SHUTDOWN_EVENT:
      std::raise(SIGTERM);
      // Windows ends the process as soon as this returns (and after 5 s
      // anyway): leave the loop that time to stop cleanly and exit first.
      Sleep(4500);
      return TRUE;
    default:
      return FALSE;
  }
}

void WatchConsoleEvents(bool on) { SetConsoleCtrlHandler(OnConsoleEvent, on ? TRUE : FALSE); }
#else
void WatchConsoleEvents(bool) {}
#endif

std::string_view SignalName(int signal) {
  switch (signal) {
    case SIGINT:
      return "SIGINT";
#if defined(SIGBREAK)
    case SIGBREAK:
      return "Ctrl+Break";
#endif
    default:
      return "SIGTERM";
  }
}

}  // namespace

StopSignals::StopSignals(boost::asio::io_context& io) : signals_(io, SIGINT, SIGTERM) {
#if defined(SIGBREAK)
  signals_.add(SIGBREAK);
#endif
  WatchConsoleEvents(true);
}

StopSignals::~StopSignals() { WatchConsoleEvents(false); }

void StopSignals::AsyncWait(std::function<void(std::string_view what)> on_stop) {
  signals_.async_wait(
      [on_stop = std::move(on_stop)](const boost::system::error_code& ec, int signal) {
        if (!ec) on_stop(SignalName(signal));
      });
}

void StopSignals::Cancel() {
  boost::system::error_code ignored;
  signals_.cancel(ignored);
}

void IgnoreBrokenPipe() {
#if !defined(_WIN32)
  std::signal(SIGPIPE, SIG_IGN);
#endif
}

}  // namespace nga::cli
