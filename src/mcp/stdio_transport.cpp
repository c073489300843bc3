#include "mcp/stdio_transport.h"

#include <fmt/format.h>
#include <unistd.h>
#if defined(_WIN32)
#include <fcntl.h>
#include <io.h>
#include <windows.h>

#include <thread>
#endif

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <chrono>

#include "mcp/raw_id.h"

namespace nga::mcp {

namespace asio = boost::asio;
namespace json = boost::json;

std::shared_ptr<StdioTransport> StdioTransport::Start(Services& services, int in_fd, int out_fd,
                                                      std::function<void()> on_closed) {
  auto transport = StartLazily(
      services.executor, [&services](OpenDone done) { done(&services); }, in_fd, out_fd,
      std::move(on_closed));
  transport->OpenServices();  // opens at once: the services exist
  return transport;
}

std::shared_ptr<StdioTransport> StdioTransport::StartLazily(asio::any_io_executor executor,
                                                            Opener open, int in_fd, int out_fd,
                                                            std::function<void()> on_closed) {
  std::shared_ptr<StdioTransport> transport(
      new StdioTransport(std::move(executor), std::move(on_closed)));
  transport->open_ = std::move(open);
  transport->Open(in_fd, out_fd);
  return transport;
}

StdioTransport::StdioTransport(asio::any_io_executor executor, std::function<void()> on_closed)
    : executor_(executor),
      on_closed_(std::move(on_closed)),
#if !defined(_WIN32)
      in_(executor),
      out_(executor),
#endif
      flush_deadline_(executor) {
}

void StdioTransport::OpenServices() {
  // After the input ended nothing needs them: `true | ng-annotate mcp` once
  // opened the store after its EOF, and its change feed then kept the
  // process alive for good.
  if (session_ || opening_ || open_failed_ || input_done_ || !open_) return;
  opening_ = true;
  Opener open = std::move(open_);
  open_ = nullptr;
  std::weak_ptr<StdioTransport> weak = weak_from_this();
  open([weak](Services* services) {
    if (auto self = weak.lock()) self->OnOpened(services);
  });
}

void StdioTransport::OnOpened(Services* services) {
  if (!opening_) return;
  opening_ = false;
  if (finished_ || stopping_) return;  // nobody is left to serve
  if (!services) {
    open_failed_ = true;
    waiting_lines_.clear();
    Stop();
    return;
  }
  std::weak_ptr<StdioTransport> weak = weak_from_this();
  session_ = McpSession::Create(*services, [weak](json::object notification) {
    if (auto self = weak.lock()) self->Send(notification, /*droppable=*/true);
  });
  if (!early_version_.empty()) session_->AdoptInitialize(early_version_);
  std::deque<std::string> waiting = std::move(waiting_lines_);
  waiting_lines_.clear();
  for (const std::string& line : waiting) Dispatch(line);
  if (input_done_) {  // the EOF came while opening: it ends the session now
    session_->Close();
    MaybeFinish();
  }
}

// The first message, before the session exists: answered here if it is a
// lone initialize request (then the services open on the next handler).
bool StdioTransport::AnsweredEarly(std::string_view line) {
  ParsedText parsed = ParseMessageText(line);
  if (!parsed.message) return false;
  auto response = McpSession::AnswerInitialize(*parsed.message, early_version_);
  if (!response) return false;
  Send(json::value(std::move(*response)), /*droppable=*/false);
  asio::post(executor_, [self = shared_from_this()] { self->OpenServices(); });
  return true;
}

StdioTransport::~StdioTransport() {
  CloseInput();
  if (out_fd_ >= 0) ::close(out_fd_);
}

#if defined(_WIN32)
void StdioTransport::Open(int in_fd, int out_fd) {
  // Bytes as they are: the C runtime would otherwise turn \r\n into \n.
  _setmode(in_fd, _O_BINARY);
  _setmode(out_fd, _O_BINARY);
  out_fd_ = ::dup(out_fd);
  int in = ::dup(in_fd);
  if (in < 0) {
    asio::post(executor_, [self = shared_from_this()] { self->OnInputEnd(); });
    return;
  }
  // What the first read does at once on POSIX (Asio tries it before
  // waiting): what a pipe already holds, or its end, is handled before
  // anything the caller posts next. `mcp` posts OpenServices next, which
  // must open nothing when the input has already ended and must come after
  // the answer to an initialize already waiting. The reader thread alone
  // would post them whenever it got to them, often after OpenServices.
  // Where the pipe cannot be peeked (Wine's handles over a Unix pipe say
  // ERROR_NOT_SUPPORTED), the thread alone does it, as before.
  if (HANDLE pipe = reinterpret_cast<HANDLE>(::_get_osfhandle(in));
      pipe != INVALID_HANDLE_VALUE && ::GetFileType(pipe) == FILE_TYPE_PIPE) {
    DWORD available = 0;
    if (!::PeekNamedPipe(pipe, nullptr, 0, nullptr, &available, nullptr)) {
      if (::GetLastError() == ERROR_BROKEN_PIPE) {  // the writer is gone, nothing is left
        ::close(in);
        asio::post(executor_, [self = shared_from_this()] { self->OnInputEnd(); });
        return;
      }
    } else if (available > 0) {  // reading no more than is there cannot block
      std::string data(std::min<DWORD>(available, 64 * 1024), '\0');
      int n = ::read(in, data.data(), static_cast<unsigned>(data.size()));
      if (n > 0) {
        data.resize(static_cast<std::size_t>(n));
        asio::post(executor_, [self = shared_from_this(), data = std::move(data)] {
          if (!self->input_done_) self->OnData(data);
        });
      }
    }
  }
  reader_link_ = std::make_shared<ReaderLink>();
  std::weak_ptr<StdioTransport> weak = weak_from_this();
  // Detached: a read blocked in a pipe cannot be interrupted portably; the
  // process ends with it, and it posts nothing once the link is closed.
  std::thread([in, link = reader_link_, executor = executor_, weak] {
    std::string buffer(64 * 1024, '\0');
    while (true) {
      int n = ::read(in, buffer.data(), static_cast<unsigned>(buffer.size()));
      std::lock_guard<std::mutex> lock(link->mutex);
      if (!link->open) break;
      if (n <= 0) {
        asio::post(executor, [weak] {
          if (auto self = weak.lock()) self->OnInputEnd();
        });
        break;
      }
      asio::post(executor, [weak, data = buffer.substr(0, static_cast<std::size_t>(n))] {
        auto self = weak.lock();
        if (self && !self->input_done_) self->OnData(data);
      });
    }
    ::close(in);
  }).detach();
}

void StdioTransport::ReadSome() {}

void StdioTransport::CloseInput() {
  if (!reader_link_) return;
  std::lock_guard<std::mutex> lock(reader_link_->mutex);
  reader_link_->open = false;
}

void StdioTransport::CloseOutput() {}
#else
void StdioTransport::Open(int in_fd, int out_fd) {
  boost::system::error_code ec;
  int out = ::dup(out_fd);
  out_.assign(out, ec);
  if (ec) out_fd_ = out;  // not something Asio takes: write it directly

  // Asio accepts regular files and /dev/null too (epoll cannot watch them,
  // but reading them never blocks). Only a closed descriptor fails here.
  int in = ::dup(in_fd);
  in_.assign(in, ec);
  if (ec) {
    if (in >= 0) ::close(in);
    asio::post(executor_, [self = shared_from_this()] { self->OnInputEnd(); });
    return;
  }
  ReadSome();
}

void StdioTransport::ReadSome() {
  read_buffer_.resize(64 * 1024);
  in_.async_read_some(asio::buffer(read_buffer_),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                        if (ec) {  // EOF, or the input went away, or Stop()
                          self->OnInputEnd();
                          return;
                        }
                        self->OnData(std::string_view(self->read_buffer_.data(), n));
                        if (!self->input_done_) self->ReadSome();
                      });
}

void StdioTransport::CloseInput() {
  boost::system::error_code ignored;
  in_.close(ignored);
}

void StdioTransport::CloseOutput() {
  boost::system::error_code ignored;
  out_.close(ignored);
}
#endif

void StdioTransport::OnData(std::string_view data) {
  while (!data.empty() && !input_done_) {
    std::size_t newline = data.find('\n');
    std::string_view part = data.substr(0, newline);
    if (!discarding_) {
      if (line_.size() + part.size() > kMaxLineBytes) {
        discarding_ = true;
        std::string().swap(line_);
        Send(MakeErrorResponse(
                 nullptr, {rpc::kParseError,
                           fmt::format("Parse error: message larger than {} bytes", kMaxLineBytes),
                           {}}),
             false);
      } else {
        line_.append(part);
      }
    }
    if (newline == std::string_view::npos) return;
    if (!discarding_) HandleLine(line_);
    line_.clear();
    discarding_ = false;
    data.remove_prefix(newline + 1);
  }
}

void StdioTransport::HandleLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.remove_suffix(1);
  }
  if (line.find_first_not_of(" \t") == std::string_view::npos) return;
  if (!session_) {
    bool first = !first_line_seen_;
    first_line_seen_ = true;
    if (first && AnsweredEarly(line)) return;
    if (open_failed_) return;
    waiting_lines_.emplace_back(line);
    OpenServices();  // answers it at once when the opener does
    return;
  }
  Dispatch(line);
}

void StdioTransport::Dispatch(std::string_view line) {
  std::weak_ptr<StdioTransport> weak = weak_from_this();
  session_->HandleText(line, [weak](std::optional<json::value> response) {
    auto self = weak.lock();
    if (self && response) self->Send(*response, /*droppable=*/false);
  });
}

void StdioTransport::OnInputEnd() {
  if (input_done_) return;
  // A last message without its newline still counts.
  if (!discarding_ && !line_.empty()) HandleLine(line_);
  input_done_ = true;
  line_.clear();
  CloseInput();
  if (session_) session_->Close();
  MaybeFinish();
}

void StdioTransport::Stop() {
  if (stopping_) return;
  stopping_ = true;
  waiting_lines_.clear();  // nobody waits for their answers any more
  if (input_done_) {
    MaybeFinish();
  } else {
    OnInputEnd();
  }
  if (finished_) return;
  flush_deadline_.expires_after(std::chrono::seconds(1));
  flush_deadline_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->finished_) return;
    self->CloseOutput();  // cancels the write in progress before its buffer goes
    self->queue_.clear();
    self->queued_bytes_ = 0;
    self->writing_ = false;
    self->MaybeFinish();
  });
}

void StdioTransport::Send(const json::value& message, bool droppable) {
  if (finished_) return;
  if (droppable && queued_bytes_ > kMaxQueuedBytes) return;
  std::string text = SerializeMessage(message);
  text.push_back('\n');
  if (out_fd_ >= 0) {
    std::string_view rest = text;
    while (!rest.empty()) {
      ssize_t n = ::write(out_fd_, rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
    return;
  }
  queued_bytes_ += text.size();
  queue_.push_back(std::move(text));
  if (!writing_) WriteNext();
}

void StdioTransport::WriteNext() {
#if defined(_WIN32)
  // Output is written blocking (Send); without an output there is no one to
  // write to.
  queue_.clear();
  queued_bytes_ = 0;
  writing_ = false;
  Stop();
  MaybeFinish();
#else
  writing_ = true;
  asio::async_write(out_, asio::buffer(queue_.front()),
                    [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                      if (self->finished_ || self->queue_.empty()) return;
                      self->queued_bytes_ -= self->queue_.front().size();
                      self->queue_.pop_front();
                      if (ec) {  // nobody reads our output any more: end
                        self->queue_.clear();
                        self->queued_bytes_ = 0;
                        self->writing_ = false;
                        self->Stop();
                        self->MaybeFinish();
                        return;
                      }
                      if (self->queue_.empty()) {
                        self->writing_ = false;
                        self->MaybeFinish();
                      } else {
                        self->WriteNext();
                      }
                    });
#endif
}

void StdioTransport::MaybeFinish() {
  if (finished_ || !input_done_ || writing_ || !queue_.empty()) return;
  if (opening_ && !waiting_lines_.empty()) return;  // they are answered once it is open
  finished_ = true;
  flush_deadline_.cancel();
  CloseOutput();
  if (auto on_closed = std::move(on_closed_)) on_closed();
}

}  // namespace nga::mcp
