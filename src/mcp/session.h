// One MCP session: the conversation with one agent (the `ng-annotate mcp`
// process's stdin/stdout, or one Mcp-Session-Id of the HTTP transport).
//
// Transport-agnostic: a transport parses bytes into JSON, hands each message
// to Handle(), and writes out what comes back. It never looks inside.
//
//   * Replies. Each Handle() call gets exactly one Reply call: the response
//     (an object, or an array for a batch), or nullopt when there is nothing
//     to answer (only notifications or client responses, or every request of
//     it was cancelled). Most replies come before Handle() returns; a blocked
//     watch_annotations / watch_diff_response replies later. Requests are
//     independent: a blocked watch never delays a ping sent after it.
//   * Notifications the server starts on its own (notifications/resources/
//     updated, notifications/message) go to the Notify given at creation.
//
// For Streamable HTTP (one McpSession per Mcp-Session-Id):
//   * an initialize request (IsInitializeRequest in jsonrpc.h) without a
//     session id is the cue to Create() one; check MCP-Protocol-Version on
//     later requests with IsSupportedProtocolVersion (protocol.h);
//   * POST body -> Handle(). Reply(nullopt) -> 202 Accepted. A Reply made
//     before Handle() returns -> application/json; otherwise open an SSE
//     stream on the POST and send the Reply as its one event, then end it.
//     If that stream's client goes away first, CancelRequest() its ids;
//   * Notify -> the session's GET SSE stream (drop or buffer when none);
//   * DELETE -> Close(), and forget the session.
//
// Thread rules: create, call and destroy on the thread of Services (the one
// that owns the Store). Callbacks run on that thread.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "mcp/feed_wait.h"
#include "mcp/jsonrpc.h"
#include "mcp/services.h"
#include "mcp/tools.h"

namespace nga::mcp {

class McpSession : public std::enable_shared_from_this<McpSession> {
 public:
  using Notify = std::function<void(boost::json::object notification)>;
  using Reply = std::function<void(std::optional<boost::json::value> response)>;

  static std::shared_ptr<McpSession> Create(Services& services, Notify notify);
  ~McpSession();
  McpSession(const McpSession&) = delete;
  McpSession& operator=(const McpSession&) = delete;

  // Team mode: who is calling (the token's name), recorded as the author of
  // what its tool calls change.
  void SetActor(std::string name) { tools_.SetActor(std::move(name)); }

  // One message as the client sent it: an object, or a batch array.
  void Handle(boost::json::value message, Reply reply);
  // Same, from its text; unparsable text gets a -32700 reply.
  void HandleText(std::string_view text, Reply reply);

  // Ends request `id` if it is still in flight (a blocked watch): its Reply
  // gets nullopt (or, in a batch, it is left out). What notifications/
  // cancelled does; a transport calls it when the client that would read the
  // answer is gone (an HTTP POST's stream closed). False if not in flight.
  bool CancelRequest(const boost::json::value& id);

  // Ends the session: every request still in flight is cancelled (its Reply
  // is called before Close returns), subscriptions end, and from then on
  // Handle() answers nothing and Notify is never called. Idempotent.
  void Close();

  // The response to `message` when it is a lone initialize request, built
  // without a session (nullopt for anything else): what `ng-annotate mcp`
  // sends before its store is open. `negotiated` gets the agreed version,
  // which the session created later takes with AdoptInitialize.
  static std::optional<boost::json::object> AnswerInitialize(const boost::json::value& message,
                                                             std::string& negotiated);
  // As if this session had answered an initialize that agreed `version`.
  void AdoptInitialize(std::string version) { protocol_version_ = std::move(version); }

  // The version agreed by initialize (empty before it).
  const std::string& protocol_version() const { return protocol_version_; }
  // notifications/initialized received.
  bool initialized() const { return initialized_; }
  // Requests answered later (blocked watches).
  std::size_t in_flight() const { return in_flight_.size(); }

 private:
  using Done = std::function<void(std::optional<boost::json::object>)>;
  using Outcome = std::variant<boost::json::object, RpcError>;

  McpSession(Services& services, Notify notify);

  void HandleOne(const boost::json::value& message, Done done);
  void OnNotification(const Incoming& in);
  void OnRequest(const Incoming& in, Done done);
  void CallTool(const Incoming& in, Done done);

  Outcome Initialize(const boost::json::object& params);
  static boost::json::object InitializeResult(std::string_view protocol_version);
  Outcome GetPromptRequest(const boost::json::object& params);
  Outcome ReadResourceRequest(const boost::json::object& params);
  Outcome Subscribe(const boost::json::object& params);
  Outcome Unsubscribe(const boost::json::object& params);
  Outcome SetLogLevel(const boost::json::object& params);

  void OnFeedEvents(const std::vector<Event>& events);
  void Log(int level, std::string_view message);

  Services& services_;
  Tools tools_;
  Notify notify_;
  std::string protocol_version_;
  bool initialized_ = false;
  bool closed_ = false;
  int log_level_;  // index into the syslog-style level names; messages below are dropped
  std::set<std::string, std::less<>> subscriptions_;
  std::optional<ChangeFeed::ListenerId> feed_listener_;
  // Blocked tool calls by request id (IdKey), for notifications/cancelled.
  std::map<std::string, std::shared_ptr<FeedWait>, std::less<>> in_flight_;
};

}  // namespace nga::mcp
