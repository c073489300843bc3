// MCP over a pair of file descriptors (stdin/stdout for `ng-annotate mcp`):
// newline-delimited JSON-RPC, one McpSession. Only moves bytes.
//
// On POSIX, reads and writes go through Asio posix::stream_descriptors, so
// they never block the event loop (pipes, terminals; regular files never
// block). Output is queued and written asynchronously; when more than a bound
// is queued (a client not reading), notifications are dropped, never
// responses.
//
// On Windows, Asio cannot wait on the anonymous pipes an agent gives a
// server (they are not opened for overlapped I/O): a thread of its own blocks
// in read() and posts what it got to the loop, and output is written at once,
// blocking (the same path POSIX takes for an output Asio cannot watch).
//
// Thread rules: as McpSession (the Services thread).
#pragma once

#include <boost/asio/steady_timer.hpp>
#if defined(_WIN32)
#include <mutex>
#else
#include <boost/asio/posix/stream_descriptor.hpp>
#endif
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "mcp/services.h"
#include "mcp/session.h"

namespace nga::mcp {

class StdioTransport : public std::enable_shared_from_this<StdioTransport> {
 public:
  // Largest message accepted (a 1 MiB diff, JSON-escaped, fits with room).
  static constexpr std::size_t kMaxLineBytes = 16 * 1024 * 1024;
  // Past this much unsent output, notifications are dropped.
  static constexpr std::size_t kMaxQueuedBytes = 64 * 1024 * 1024;

  // Starts serving on in_fd/out_fd (duplicated; the originals stay open).
  // on_closed runs once, after the input ended (EOF, error or Stop()) and the
  // output is flushed: the process may then stop its event loop.
  static std::shared_ptr<StdioTransport> Start(Services& services, int in_fd, int out_fd,
                                               std::function<void()> on_closed);

  // Reports the outcome of an open: the services, or nullptr when opening
  // failed (the opener has said why). Call it on the transport's thread.
  using OpenDone = std::function<void(Services*)>;
  // Opens the services and calls `done` with them, at once or later (from a
  // thread of its own, posted back). Called at most once.
  using Opener = std::function<void(OpenDone done)>;

  // Like Start, with the services opened only when first needed: a lone
  // initialize request already waiting as the first message is answered
  // before `open` runs. Opening the store is most of `ng-annotate mcp`'s
  // start-up, and the client has its own work to do between initialize and
  // its next request. Later messages wait, in order, until the open is done;
  // a failed open ends the transport (on_closed runs). Call OpenServices() to
  // open without waiting for a message (errors show at once when the client
  // is slow to write).
  //
  // The input ending never waits for an open nobody needs: at EOF or Stop()
  // the open is not started, and one in progress is not waited for unless
  // messages that came before the EOF wait for it (Stop() drops those). Its
  // `done` then finds the transport finished and does nothing: the opener
  // keeps what it opened.
  static std::shared_ptr<StdioTransport> StartLazily(boost::asio::any_io_executor executor,
                                                     Opener open, int in_fd, int out_fd,
                                                     std::function<void()> on_closed);
  // Starts opening the services now, if not yet and the input has not ended.
  void OpenServices();

  ~StdioTransport();

  // Stops reading and ends the session; messages waiting for the open are
  // dropped. Flushes what is queued (for at most a second), then on_closed.
  // Idempotent.
  void Stop();

 private:
  StdioTransport(boost::asio::any_io_executor executor, std::function<void()> on_closed);
  void Open(int in_fd, int out_fd);
  bool AnsweredEarly(std::string_view line);
  void OnOpened(Services* services);
  void Dispatch(std::string_view line);
  void ReadSome();
  void OnData(std::string_view data);
  void OnInputEnd();
  void HandleLine(std::string_view line);
  void Send(const boost::json::value& message, bool droppable);
  void WriteNext();
  void MaybeFinish();
  void CloseInput();
  void CloseOutput();

  boost::asio::any_io_executor executor_;
  Opener open_;  // StartLazily: until the open starts
  std::shared_ptr<McpSession> session_;
  bool opening_ = false;
  bool open_failed_ = false;
  // Messages that came while the services were opening, in order.
  std::deque<std::string> waiting_lines_;
  bool first_line_seen_ = false;
  std::string early_version_;  // agreed by an initialize answered before the session
  std::function<void()> on_closed_;

#if defined(_WIN32)
  // What the reader thread shares with the transport: it posts only while
  // `open` (the transport and its loop still exist).
  struct ReaderLink {
    std::mutex mutex;
    bool open = true;
  };
  std::shared_ptr<ReaderLink> reader_link_;
#else
  boost::asio::posix::stream_descriptor in_;
  boost::asio::posix::stream_descriptor out_;
#endif
  int out_fd_ = -1;  // blocking output: when out_ cannot be watched, and on Windows
  std::string read_buffer_;
  std::string line_;
  bool discarding_ = false;  // inside an over-long line
  bool input_done_ = false;
  bool stopping_ = false;

  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool finished_ = false;
  boost::asio::steady_timer flush_deadline_;
};

}  // namespace nga::mcp
