#include "mcp/http_transport.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <charconv>
#include <deque>
#include <map>
#include <vector>

#include "mcp/jsonrpc.h"
#include "mcp/protocol.h"
#include "mcp/raw_id.h"
#include "mcp/session.h"
#include "util/uuid.h"

namespace nga::mcp {

namespace json = boost::json;
using net::HeaderList;
using net::HttpRequest;
using net::HttpResponder;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kEventStream = "text/event-stream";
constexpr std::string_view kSessionHeader = "Mcp-Session-Id";
// The SDK's code for transport-level errors that have no JSON-RPC one.
constexpr int kServerError = -32000;
// An SSE comment: keeps proxies and idle timers from cutting a quiet stream.
constexpr std::string_view kPing = ": ping\n\n";

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// "application/json; charset=utf-8" -> "application/json".
std::string MediaType(std::string_view value) {
  return Lower(Trim(value.substr(0, value.find(';'))));
}

// What an Accept header allows of the two answers we can give.
struct Accepts {
  bool json = false;
  bool sse = false;
};

Accepts ParseAccept(std::optional<std::string_view> header) {
  if (!header) return {true, true};  // no Accept: anything goes
  Accepts accepts;
  std::string_view rest = *header;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string type = MediaType(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (type == "*/*" || type == "application/*" || type == kJson) accepts.json = true;
    if (type == "*/*" || type == "text/*" || type == kEventStream) accepts.sse = true;
  }
  return accepts;
}

std::string SseEvent(std::string_view data, std::optional<std::uint64_t> id = std::nullopt) {
  if (id) return fmt::format("event: message\nid: {}\ndata: {}\n\n", *id, data);
  return fmt::format("event: message\ndata: {}\n\n", data);
}

// A transport-level error, in the body shape the TypeScript SDK uses.
void Refuse(HttpResponder& responder, unsigned status, std::string message, HeaderList headers = {},
            int code = kServerError) {
  json::object body = MakeErrorResponse(nullptr, {code, std::move(message), {}});
  responder.Respond(status, kJson, json::serialize(body), std::move(headers));
}

// The ids of the requests in a message or batch: what to cancel when the
// client hangs up before they are answered.
std::vector<json::value> RequestIds(const json::value& message) {
  std::vector<json::value> ids;
  auto add = [&ids](const json::value& item) {
    Incoming in = Classify(item);
    if (in.kind == Incoming::Kind::kRequest) ids.push_back(in.id);
  };
  if (const json::array* batch = message.if_array()) {
    for (const json::value& item : *batch) add(item);
  } else {
    add(message);
  }
  return ids;
}

bool IsErrorResponse(const json::value& response) {
  const json::object* object = response.if_object();
  return object && object->contains("error");
}

std::optional<std::uint64_t> ParseEventId(std::optional<std::string_view> header) {
  if (!header) return std::nullopt;
  std::string_view text = Trim(*header);
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

// One Mcp-Session-Id.
struct HttpSession {
  std::string id;
  std::shared_ptr<McpSession> mcp;
  std::shared_ptr<HttpResponder> stream;  // the GET stream, while open
  // Recent notifications (id, SSE text), oldest first, for replay.
  std::deque<std::pair<std::uint64_t, std::string>> events;
  std::uint64_t next_event_id = 1;
  std::uint64_t delivered_through = 0;  // newest event id written to a stream
  std::size_t open_posts = 0;           // POSTs not yet answered
  Clock::time_point last_used;
  // A request (or a GET stream) after the initialize: an agent at work, not
  // an initialize that led nowhere.
  bool used = false;
  // Team mode: the token that opened it, and its entry in the credentials.
  std::optional<net::Caller> caller;
  auth::OpenCredentials::Handle credential = 0;

  bool Busy() const {
    return (stream && !stream->closed()) || open_posts > 0 || mcp->in_flight() > 0;
  }
};

// One POST waiting for its answer.
struct PendingPost {
  std::shared_ptr<HttpResponder> responder;
  std::string session_id;
  Accepts accepts;
  std::vector<json::value> request_ids;
  bool initialize = false;
  bool answered = false;
  bool streaming = false;
};

struct HttpTransport::Impl : std::enable_shared_from_this<HttpTransport::Impl> {
  Impl(Services& services, HttpTransportOptions options)
      : services(services), options(options), ticker(services.executor) {}

  Services& services;
  HttpTransportOptions options;
  boost::asio::steady_timer ticker;
  std::map<std::string, std::shared_ptr<HttpSession>, std::less<>> sessions;
  // Open SSE answers to blocked POSTs, for keep-alives.
  std::vector<std::weak_ptr<HttpResponder>> post_streams;
  bool closed = false;

  void Handle(const HttpRequest& request, std::shared_ptr<HttpResponder> responder);
  void Post(const HttpRequest& request, std::shared_ptr<HttpResponder> responder);
  void Get(const HttpRequest& request, std::shared_ptr<HttpResponder> responder);
  void Delete(const HttpRequest& request, std::shared_ptr<HttpResponder> responder);
  void Answer(const std::shared_ptr<PendingPost>& post, std::optional<json::value> response);
  void ClientGone(const std::shared_ptr<PendingPost>& post);

  std::shared_ptr<HttpSession> Open(const std::optional<net::Caller>& caller);
  std::shared_ptr<HttpSession> Evictable() const;
  std::shared_ptr<HttpSession> Find(const HttpRequest& request, HttpResponder& responder);
  void Notify(const std::string& session_id, const json::object& notification);
  void End(const std::string& session_id);
  void CloseAll();

  void StartTicker();
  void Tick();
};

// ---- routing ----------------------------------------------------------------

void HttpTransport::Impl::Handle(const HttpRequest& request,
                                 std::shared_ptr<HttpResponder> responder) {
  if (request.path != "/mcp") {
    responder->Respond(404, "text/plain; charset=utf-8", "not found: " + request.path + "\n");
    return;
  }
  if (closed) return Refuse(*responder, 503, "Service Unavailable: the server is shutting down");
  if (options.access) {
    if (auto reason =
            options.access->CheckOwnOrigin(request.Header("host"), request.Header("origin"))) {
      return Refuse(*responder, 403, "Forbidden: " + *reason);
    }
  }
  if (auto version = request.Header("mcp-protocol-version");
      version && !IsSupportedProtocolVersion(Trim(*version))) {
    return Refuse(*responder, 400,
                  fmt::format("Bad Request: Unsupported protocol version: {} (supported: {})",
                              *version, fmt::join(kProtocolVersions, ", ")));
  }
  if (request.method == "POST") return Post(request, std::move(responder));
  if (request.method == "GET") return Get(request, std::move(responder));
  if (request.method == "DELETE") return Delete(request, std::move(responder));
  Refuse(*responder, 405, "Method Not Allowed", {{"Allow", "GET, POST, DELETE"}});
}

std::shared_ptr<HttpSession> HttpTransport::Impl::Find(const HttpRequest& request,
                                                       HttpResponder& responder) {
  auto id = request.Header("mcp-session-id");
  if (!id) {
    Refuse(responder, 400, "Bad Request: Mcp-Session-Id header is required");
    return nullptr;
  }
  auto it = sessions.find(Trim(*id));
  // Another token's session is not there for this one.
  const auto& owner = it == sessions.end() ? std::nullopt : it->second->caller;
  if (it == sessions.end() ||
      (owner && (!request.caller || request.caller->token_id != owner->token_id))) {
    Refuse(responder, 404, "Session not found", {}, -32001);
    return nullptr;
  }
  it->second->last_used = Clock::now();
  return it->second;
}

// ---- POST -------------------------------------------------------------------

void HttpTransport::Impl::Post(const HttpRequest& request,
                               std::shared_ptr<HttpResponder> responder) {
  Accepts accepts = ParseAccept(request.Header("accept"));
  if (!accepts.json && !accepts.sse) {
    return Refuse(*responder, 406,
                  "Not Acceptable: Accept must allow application/json or text/event-stream");
  }
  if (auto type = request.Header("content-type"); !type || MediaType(*type) != kJson) {
    return Refuse(*responder, 415, "Unsupported Media Type: Content-Type must be application/json");
  }
  ParsedText parsed = ParseMessageText(request.body);
  if (!parsed.message) {
    responder->Respond(400, kJson, json::serialize(*parsed.parse_error_response));
    return;
  }

  auto post = std::make_shared<PendingPost>();
  post->responder = responder;
  post->accepts = accepts;
  post->initialize = IsInitializeRequest(*parsed.message);
  post->request_ids = RequestIds(*parsed.message);
  std::shared_ptr<HttpSession> session;
  if (post->initialize) {
    session = Open(request.caller);
    if (!session) return Refuse(*responder, 503, "Service Unavailable: too many sessions");
  } else {
    session = Find(request, *responder);
    if (!session) return;
    if (!post->request_ids.empty()) session->used = true;
  }
  post->session_id = session->id;
  ++session->open_posts;

  std::weak_ptr<Impl> weak = weak_from_this();
  session->mcp->Handle(std::move(*parsed.message),
                       [weak, post](std::optional<json::value> response) {
                         if (auto self = weak.lock()) self->Answer(post, std::move(response));
                       });
  if (post->answered) return;

  // A blocked call: say so now, answer later.
  // Weakly: the responder holds this callback, and `post` holds the responder.
  responder->OnClose([weak, weak_post = std::weak_ptr<PendingPost>(post)] {
    auto self = weak.lock();
    auto post = weak_post.lock();
    if (self && post) self->ClientGone(post);
  });
  if (accepts.sse) {
    post->streaming = true;
    responder->StartStream(
        200, kEventStream,
        {{"Cache-Control", "no-cache"}, {std::string(kSessionHeader), post->session_id}});
    post_streams.push_back(responder);
  }
}

void HttpTransport::Impl::Answer(const std::shared_ptr<PendingPost>& post,
                                 std::optional<json::value> response) {
  if (post->answered) return;
  post->answered = true;
  auto it = sessions.find(post->session_id);
  if (it != sessions.end() && it->second->open_posts > 0) --it->second->open_posts;

  HttpResponder& responder = *post->responder;
  HeaderList headers{{std::string(kSessionHeader), post->session_id}};
  if (post->initialize && (!response || IsErrorResponse(*response))) {
    End(post->session_id);  // no session came of it
    headers.clear();
  }
  if (post->streaming) {
    if (response) responder.Write(SseEvent(SerializeMessage(*response)));
    responder.End();
  } else if (!response) {
    responder.Respond(202, "", "", std::move(headers));
  } else if (post->accepts.json) {
    responder.Respond(200, kJson, SerializeMessage(*response), std::move(headers));
  } else {
    headers.emplace_back("Cache-Control", "no-cache");
    responder.StartStream(200, kEventStream, std::move(headers));
    responder.Write(SseEvent(SerializeMessage(*response)));
    responder.End();
  }
}

// The client hung up on a blocked call: nobody will read its answer.
void HttpTransport::Impl::ClientGone(const std::shared_ptr<PendingPost>& post) {
  if (post->answered) return;
  auto it = sessions.find(post->session_id);
  if (it == sessions.end()) return;
  std::shared_ptr<McpSession> mcp = it->second->mcp;
  for (const json::value& id : post->request_ids) mcp->CancelRequest(id);
}

// ---- GET: the session's notification stream ------------------------------------

void HttpTransport::Impl::Get(const HttpRequest& request,
                              std::shared_ptr<HttpResponder> responder) {
  if (!ParseAccept(request.Header("accept")).sse || !request.Header("accept")) {
    return Refuse(*responder, 406, "Not Acceptable: Accept must allow text/event-stream");
  }
  auto session = Find(request, *responder);
  if (!session) return;
  if (session->stream && !session->stream->closed()) {
    return Refuse(*responder, 409, "Conflict: Only one SSE stream is allowed per session");
  }
  session->used = true;
  responder->StartStream(
      200, kEventStream,
      {{"Cache-Control", "no-cache"}, {std::string(kSessionHeader), session->id}});
  // What the client missed: after the event it names, else what no stream got.
  std::uint64_t after =
      ParseEventId(request.Header("last-event-id")).value_or(session->delivered_through);
  for (const auto& [id, text] : session->events) {
    if (id > after && !responder->Write(text)) return;
    session->delivered_through = std::max(session->delivered_through, id);
  }
  session->stream = responder;
  std::weak_ptr<Impl> weak = weak_from_this();
  std::weak_ptr<HttpResponder> weak_stream = responder;
  responder->OnClose([weak, weak_stream, id = session->id] {
    auto self = weak.lock();
    if (!self) return;
    auto it = self->sessions.find(id);
    if (it != self->sessions.end() && it->second->stream == weak_stream.lock()) {
      it->second->stream.reset();
    }
  });
}

void HttpTransport::Impl::Notify(const std::string& session_id, const json::object& notification) {
  auto it = sessions.find(session_id);
  if (it == sessions.end()) return;
  HttpSession& session = *it->second;
  std::uint64_t id = session.next_event_id++;
  std::string text = SseEvent(json::serialize(notification), id);
  session.events.emplace_back(id, text);
  while (session.events.size() > options.replay_events) session.events.pop_front();
  if (!session.stream) return;
  if (session.stream->closed() || !session.stream->Write(std::move(text))) {
    session.stream.reset();
    return;
  }
  session.delivered_through = id;
}

// ---- sessions -------------------------------------------------------------------

// The session a new one may push out when the table is full (see
// HttpTransportOptions::max_sessions), or null.
std::shared_ptr<HttpSession> HttpTransport::Impl::Evictable() const {
  std::shared_ptr<HttpSession> never_used;
  std::shared_ptr<HttpSession> long_idle;
  auto now = Clock::now();
  auto older = [](const std::shared_ptr<HttpSession>& a, const std::shared_ptr<HttpSession>& b) {
    return !b || a->last_used < b->last_used;
  };
  for (const auto& [id, session] : sessions) {
    if (session->Busy()) continue;
    if (!session->used) {
      if (older(session, never_used)) never_used = session;
    } else if (now - session->last_used >= options.evict_idle_after) {
      if (older(session, long_idle)) long_idle = session;
    }
  }
  return never_used ? never_used : long_idle;
}

std::shared_ptr<HttpSession> HttpTransport::Impl::Open(const std::optional<net::Caller>& caller) {
  if (sessions.size() >= options.max_sessions) {
    auto evicted = Evictable();
    if (!evicted) return nullptr;
    End(evicted->id);
  }
  auto session = std::make_shared<HttpSession>();
  session->id = NewUuidV4();
  session->last_used = Clock::now();
  std::weak_ptr<Impl> weak = weak_from_this();
  session->mcp = McpSession::Create(services, [weak, id = session->id](json::object notification) {
    if (auto self = weak.lock()) self->Notify(id, notification);
  });
  session->caller = caller;
  if (caller) session->mcp->SetActor(caller->name);
  if (caller && options.credentials) {
    session->credential = options.credentials->Add(caller->token_id, [weak, id = session->id] {
      if (auto self = weak.lock()) self->End(id);
    });
  }
  sessions.emplace(session->id, session);
  if (sessions.size() == 1) StartTicker();
  return session;
}

void HttpTransport::Impl::Delete(const HttpRequest& request,
                                 std::shared_ptr<HttpResponder> responder) {
  auto session = Find(request, *responder);
  if (!session) return;
  End(session->id);
  responder->Respond(200, "", "");
}

void HttpTransport::Impl::End(const std::string& session_id) {
  auto it = sessions.find(session_id);
  if (it == sessions.end()) return;
  std::shared_ptr<HttpSession> session = it->second;
  sessions.erase(it);
  if (session->credential != 0 && options.credentials) {
    options.credentials->Remove(session->credential);
  }
  session->mcp->Close();  // blocked calls answer (cancelled) before this returns
  if (session->stream) session->stream->End();
  session->stream.reset();
  if (sessions.empty()) ticker.cancel();
}

void HttpTransport::Impl::CloseAll() {
  closed = true;
  ticker.cancel();
  while (!sessions.empty()) End(std::string(sessions.begin()->first));
  for (auto& weak : post_streams) {
    if (auto stream = weak.lock()) stream->End();
  }
  post_streams.clear();
}

// ---- keep-alive and expiry -----------------------------------------------------------

void HttpTransport::Impl::StartTicker() {
  ticker.expires_after(options.keepalive_interval);
  ticker.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->closed) return;
    self->Tick();
    if (!self->sessions.empty()) self->StartTicker();
  });
}

void HttpTransport::Impl::Tick() {
  std::erase_if(post_streams, [](const std::weak_ptr<HttpResponder>& weak) {
    auto stream = weak.lock();
    return !stream || stream->closed() || !stream->Write(std::string(kPing));
  });
  std::vector<std::string> expired;
  auto now = Clock::now();
  for (auto& [id, session] : sessions) {
    if (session->stream && !session->stream->closed()) {
      if (!session->stream->Write(std::string(kPing))) session->stream.reset();
    } else if (!session->Busy() && now - session->last_used > options.idle_timeout) {
      expired.push_back(id);
    }
  }
  for (const std::string& id : expired) End(id);
}

// ---- the public face -------------------------------------------------------------------

HttpTransport::HttpTransport(Services& services, HttpTransportOptions options)
    : impl_(std::make_shared<Impl>(services, options)) {}

HttpTransport::~HttpTransport() { Close(); }

void HttpTransport::Handle(const HttpRequest& request, std::shared_ptr<HttpResponder> responder) {
  impl_->Handle(request, std::move(responder));
}

net::HttpHandler HttpTransport::Handler() {
  return [weak = std::weak_ptr<Impl>(impl_)](const HttpRequest& request,
                                             std::shared_ptr<HttpResponder> responder) {
    if (auto impl = weak.lock()) {
      impl->Handle(request, std::move(responder));
    } else {
      Refuse(*responder, 503, "Service Unavailable: the server is shutting down");
    }
  };
}

void HttpTransport::Close() { impl_->CloseAll(); }

std::size_t HttpTransport::session_count() const { return impl_->sessions.size(); }

}  // namespace nga::mcp
