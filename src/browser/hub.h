// The browser side of the daemon (SPEC §4): every connected overlay socket,
// the sessions they belong to, and what each one is sent. Pure logic over the
// Store: no sockets here. The network layer hands it frames and gives it a
// Sink per socket; tests do the same with vectors.
//
// Thread rules: one thread (the one that owns the Store and runs the change
// feed) calls everything. Sinks are called on that thread and must only
// queue the frame: a sink must never call back into the Hub.
//
// Pushes: every annotation a session's sockets were shown is remembered in
// its serialized form. Whoever changes an annotation (this socket, another
// socket, another process), the change reaches the Hub either at once (its
// own writes) or through OnEvents (the change feed); either way each socket
// of the session is sent the new form exactly once, and an event that brings
// nothing new sends nothing. That memory is also what the periodic
// annotations:sync is built from, so a sync never reads the store's
// annotations again.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "browser/messages.h"
#include "store/store.h"
#include "store/write_queue.h"
#include "util/result.h"

namespace nga::browser {

// One serialized frame, shared by every socket it goes to.
using Frame = std::shared_ptr<const std::string>;
// Where a socket's frames go. Queues and returns; never re-enters the Hub.
using Sink = std::function<void(const Frame& frame)>;
using ConnectionId = std::uint64_t;

// What the upgrade request said.
struct ConnectRequest {
  std::optional<std::string> session_id;  // ?sessionId=
  std::string referer;
  std::string origin;
  int proto = 1;  // ?proto=2: protocol revision 2 (deltas, annotations:unchanged)
  // Team mode (issue 20): the name of the token the socket was opened with,
  // recorded as the author of what it writes; and whether it is a reviewer's,
  // which may only create, reply, delete its own and answer diffs (not
  // clear its session nor turn on yolo mode).
  std::string actor;
  bool reviewer = false;
};

struct HubOptions {
  // The manifest sent on connect. Default: an empty object.
  std::function<boost::json::object()> manifest;
  // Called after every store write the Hub makes (e.g. ChangeFeed::Check),
  // outside of any iteration over the Hub's state.
  std::function<void()> after_write;
  // What an annotations:sync carries (SPEC §4): every non-terminal
  // annotation plus at most this many of the most recent terminal ones...
  std::size_t sync_terminal_cap = 100;
  // ...and at most this many bytes of annotations, whatever their status, so
  // that a sync always fits a socket's queue. The rest is paged.
  std::size_t sync_max_bytes = 4 * 1024 * 1024;
  // An annotations:page answer: at most this many annotations and bytes.
  std::size_t page_max_count = 200;
  std::size_t page_default_count = 50;
  std::size_t page_max_bytes = 4 * 1024 * 1024;
  // Group commit (optional; must outlive the Hub). With it, the changes a
  // socket's frames ask for join the queue's open batch, and their replies
  // and pushes are sent only once that batch has committed, in the order
  // the frames came (also for error frames). The queue's OnCommit should
  // then check the change feed. Without it, every change commits alone and
  // is answered at once.
  WriteQueue* writes = nullptr;
};

class Hub {
 public:
  // `store` must outlive the Hub.
  explicit Hub(Store& store, HubOptions options = {});
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // A socket connected: restores the session named by request.session_id
  // (active again) or creates one (url = Referer, else Origin), then sends
  // session:created, manifest:update and annotations:sync to `sink`, in that
  // order. Revision-1 sockets get the manifest with its `_Name` aliases
  // (manifest/legacy_aliases.h). Fails only when the store does; the caller then closes the socket.
  Result<ConnectionId> Open(const ConnectRequest& request, Sink sink);

  // One text frame from the socket. Replies go to this socket's sink, pushes
  // to every socket of the session; a bad frame gets an error frame and
  // changes nothing.
  void OnMessage(ConnectionId id, std::string_view text);

  // The socket is gone. Its session becomes inactive when this was its last
  // socket. Unknown ids are ignored.
  void Close(ConnectionId id);

  // New events from the change feed (from any process), oldest first.
  void OnEvents(const std::vector<Event>& events);

  // The periodic annotations:sync, to every socket.
  void SyncAll();

  // manifest:update to every socket (with the aliases for revision 1).
  void BroadcastManifest(const boost::json::object& manifest);

  std::size_t connection_count() const { return connections_.size(); }
  // Sessions with at least one socket.
  std::size_t session_count() const { return sessions_.size(); }
  // The session a socket belongs to; nullopt for an unknown socket.
  std::optional<std::string> SessionOf(ConnectionId id) const;

 private:
  // What every socket of one connected session has been shown.
  struct ShownAnnotation {
    std::string json;  // the serialized annotation
    // As revision-1 sockets (ng-annotate-mcp's overlay) get it, when that
    // differs: a status of ours mapped onto its own (model.h ToLegacyForm).
    std::string legacy_json;
    bool terminal = false;
    Millis updated_at = 0;
    std::size_t replies = 0;
  };
  struct SessionState {
    std::vector<ConnectionId> connections;
    bool yolo_mode = false;
    std::vector<std::string> order;                          // annotation ids, oldest first
    std::unordered_map<std::string, ShownAnnotation> shown;  // id -> what was shown
    std::uint64_t version = 0;                               // changes with `shown`
    // Cache of the sync: its array, and the ids it left out (newest first).
    std::optional<std::string> array_json;
    std::optional<std::string> legacy_array_json;  // when an annotation's legacy form differs
    std::vector<std::string> left_out;
  };
  struct Connection {
    std::string session_id;
    Sink sink;
    int proto = 1;
    std::uint64_t synced_version = 0;  // the version of the last sync sent
    std::string actor;                 // ConnectRequest::actor
    bool reviewer = false;             // ConnectRequest::reviewer
  };
  enum class Shown { kNew, kChanged, kSame };

  using AfterCommit = WriteQueue::AfterCommit;
  // Makes the change `message` asks for; returns what to send once it is committed.
  AfterCommit Handle(ConnectionId id, const std::string& session_id, const ClientMessage& message);
  // Records an annotation's current form; pushes created/updated to the
  // session's sockets when it is new or changed.
  Shown Show(SessionState& state, const Annotation& annotation);
  void Forget(SessionState& state, const std::unordered_set<std::string>& ids);
  void SendToSession(const SessionState& state, const Frame& frame);
  // The same change as each revision sees it.
  void SendToSession(const SessionState& state, const Frame& v1, const Frame& v2);
  void Changed(SessionState& state);
  void BuildSync(SessionState& state);
  void SendSync(Connection& connection, SessionState& state, std::optional<Millis> heartbeat,
                bool allow_unchanged);
  void SendPage(Connection& connection, SessionState& state, const ClientMessage& message);
  // The form of `shown` that `connection`'s protocol revision reads.
  static const std::string& FormFor(const Connection& connection, const ShownAnnotation& shown);
  // annotation:after: the after image of this session's resolved annotation.
  Result<Annotation> StoreAfterScreenshot(const std::string& session_id,
                                          const ClientMessage& message);
  void SendError(const Connection& connection, const ProtocolError& error);
  // To a socket by id; nothing if it has closed meanwhile.
  void SendTo(ConnectionId id, const Frame& frame);
  void SendErrorTo(ConnectionId id, const ProtocolError& error);
  std::optional<Millis> Heartbeat();
  void AfterWrite();

  Store& store_;
  HubOptions options_;
  ConnectionId next_id_ = 1;
  std::uint64_t next_version_ = 1;
  std::map<ConnectionId, Connection> connections_;
  std::unordered_map<std::string, SessionState> sessions_;  // connected sessions only
};

}  // namespace nga::browser
