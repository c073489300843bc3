#include "browser/hub.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <utility>

#include "browser/preview_source.h"
#include "manifest/legacy_aliases.h"

namespace nga::browser {
namespace {

Frame MakeFrame(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

// manifest:update as a socket of revision `proto` reads it: revision 1 is
// ng-annotate-mcp's client, which needs the `_Name` aliases (see
// manifest/legacy_aliases.h).
std::string ManifestFrameFor(int proto, const boost::json::object& manifest) {
  return ManifestFrame(proto >= 2 ? manifest : manifest::WithUnderscoreAliases(manifest));
}

// The browser never needs the page context it sent (kDetailOnlyFields), and
// syncs repeat every annotation every 2 s: it is left out.
std::string Serialize(const Annotation& annotation) {
  return boost::json::serialize(ToListJson(annotation));
}

// The revision-1 form when it differs from Serialize's, else empty.
std::string SerializeLegacy(const Annotation& annotation) {
  if (std::string_view(LegacyStatusName(annotation.status)) == StatusName(annotation.status)) {
    return {};
  }
  boost::json::object json = ToListJson(annotation);
  ToLegacyForm(annotation.status, json);
  return boost::json::serialize(json);
}

// Is `now` the annotation that was shown, with one reply appended and
// nothing else changed (so a revision-2 socket may get just the reply)?
bool OnlyAReplyAppended(const std::string& shown_json, Millis shown_updated_at,
                        std::size_t shown_replies, const Annotation& now) {
  if (now.replies.size() != shown_replies + 1) return false;
  Annotation before = now;
  before.replies.pop_back();
  before.updated_at = shown_updated_at;
  return Serialize(before) == shown_json;
}

}  // namespace

Hub::Hub(Store& store, HubOptions options) : store_(store), options_(std::move(options)) {}

Result<ConnectionId> Hub::Open(const ConnectRequest& request, Sink sink) {
  // The new socket's sync is read from the store: it must not show writes
  // of an open batch that could still fail.
  if (options_.writes) options_.writes->Flush();
  std::optional<Session> session;
  const auto& wanted = request.session_id;
  if (wanted && !wanted->empty() && wanted->size() <= kMaxSessionIdChars) {
    auto restored = store_.ActivateSession(*wanted);
    if (restored) {
      session = std::move(restored).value();
    } else if (restored.error().code != ErrorCode::kNotFound) {
      return restored.error();
    }
  }
  if (!session) {
    auto created = store_.CreateSession(request.referer.empty() ? request.origin : request.referer);
    if (!created) return created.error();
    session = std::move(created).value();
  }

  auto [entry, first_socket] = sessions_.try_emplace(session->id);
  SessionState& state = entry->second;
  if (first_socket) {
    auto annotations = store_.ListAnnotations({.session_id = session->id, .status = {}});
    if (!annotations) {
      sessions_.erase(entry);
      (void)store_.SetSessionActive(session->id, false);
      return annotations.error();
    }
    for (const Annotation& annotation : *annotations) {
      state.order.push_back(annotation.id);
      state.shown.emplace(annotation.id,
                          ShownAnnotation{Serialize(annotation), SerializeLegacy(annotation),
                                          IsTerminal(annotation.status), annotation.updated_at,
                                          annotation.replies.size()});
    }
    Changed(state);
  }
  state.yolo_mode = session->yolo_mode;

  ConnectionId id = next_id_++;
  state.connections.push_back(id);
  Connection& connection = connections_
                               .emplace(id, Connection{session->id, std::move(sink), request.proto,
                                                       0, request.actor, request.reviewer})
                               .first->second;
  connection.sink(MakeFrame(SessionFrame("session:created", *session)));
  connection.sink(MakeFrame(ManifestFrameFor(
      connection.proto, options_.manifest ? options_.manifest() : boost::json::object{})));
  SendSync(connection, state, Heartbeat(), false);
  AfterWrite();
  return id;
}

void Hub::OnMessage(ConnectionId id, std::string_view text) {
  auto found = connections_.find(id);
  if (found == connections_.end()) return;
  auto parsed = ParseClientMessage(text);
  if (auto* error = std::get_if<ProtocolError>(&parsed)) {
    // Nothing to write; behind the batch's replies, if one is open, so this
    // socket's answers keep the order of its messages.
    if (!options_.writes || !store_.in_batch()) return SendError(found->second, *error);
    options_.writes->Submit([this, id, error = std::move(*error)]() -> AfterCommit {
      return [this, id, error](const Status&) { SendErrorTo(id, error); };
    });
    return;
  }
  auto& message = std::get<ClientMessage>(parsed);
  const std::string& session_id = found->second.session_id;
  bool logged = message.type != ClientMessageType::kPing &&
                message.type != ClientMessageType::kAnnotationsPage;
  if (!options_.writes) {
    AfterCommit after = Handle(id, session_id, message);
    if (after) after(Ok{});
    if (logged) AfterWrite();
    return;
  }
  options_.writes->Submit([&, id]() -> AfterCommit { return Handle(id, session_id, message); });
}

Hub::AfterCommit Hub::Handle(ConnectionId id, const std::string& session_id,
                             const ClientMessage& message) {
  std::string type(ClientMessageTypeName(message.type));
  // What to send once the write is committed. A store error, or a failed
  // commit, is an error frame to this socket alone.
  auto failed = [this, id, type](const Error& error) {
    SendErrorTo(id, FromStoreError(error, type));
  };
  const Connection& connection = connections_.at(id);
  if (connection.reviewer && (message.type == ClientMessageType::kAnnotationsClear ||
                              message.type == ClientMessageType::kYoloToggle)) {
    return [this, id, type](const Status&) {
      SendErrorTo(id, ProtocolError{"forbidden",
                                    "a reviewer token may create, reply, delete its own "
                                    "annotations and answer diffs; " +
                                        type + " needs an admin token",
                                    type});
    };
  }
  // What this socket writes is recorded as its token's (team mode).
  ActingAs acting(store_, connection.actor);
  // The reply to a change of one annotation is its new form, sent to every
  // socket of the session (this one included) by Show().
  auto answer = [&](Result<Annotation> result) -> AfterCommit {
    return [this, id, session_id, failed, result = std::move(result)](const Status& committed) {
      if (!committed) return failed(committed.error());
      if (!result) return failed(result.error());
      auto state = sessions_.find(session_id);
      if (state == sessions_.end()) return;
      auto connection = connections_.find(id);
      if (Show(state->second, *result) == Shown::kSame && connection != connections_.end()) {
        SendTo(id, MakeFrame(AnnotationFrame(
                       "annotation:updated",
                       FormFor(connection->second, state->second.shown[result->id]))));
      }
    };
  };

  switch (message.type) {
    case ClientMessageType::kAnnotationCreate: {
      // A preview build's page names a source id: file and line come from its manifest.
      const boost::json::object* payload = &message.payload;
      boost::json::object resolved;
      if (message.payload.contains("sourceId")) {
        resolved = message.payload;
        if (auto unresolved = ResolvePreviewSource(store_, resolved); !unresolved.empty()) {
          fmt::print(stderr, "ng-annotate: {}\n", unresolved);
        }
        payload = &resolved;
      }
      auto created = store_.CreateAnnotation(session_id, *payload);
      // In the same change, so an agent never sees the annotation without it.
      // Were it refused (the store failing: its bounds were checked on
      // parsing), the request still counts more than its picture: it is
      // kept, and the overlay hears what was left out.
      Status stored = Ok{};
      if (created && message.screenshot)
        stored = store_.PutScreenshot(created->id, *message.screenshot);
      AfterCommit after = answer(std::move(created));
      if (stored) return after;
      return [this, id, after, error = stored.error()](const Status& committed) {
        after(committed);
        SendErrorTo(
            id, ProtocolError{"storage",
                              "the annotation was stored without its screenshot: " + error.message,
                              "annotation:screenshot"});
      };
    }
    case ClientMessageType::kAnnotationReply:
      return answer(store_.AddReply(message.id, Author::kUser, message.message, session_id));
    case ClientMessageType::kAnnotationDelete:
      // Team mode: a reviewer deletes only what its own token made, even in a
      // session it joined by id (sessions are per tab, not per person).
      if (connection.reviewer) {
        auto target = store_.GetAnnotation(message.id);
        if (target && target->author_name.value_or("") != connection.actor) {
          return [this, id, type](const Status&) {
            SendErrorTo(id, ProtocolError{"forbidden",
                                          "a reviewer token may delete only the annotations it "
                                          "made; this one is someone else's",
                                          type});
          };
        }
      }
      return answer(store_.DeleteByUser(message.id, session_id));
    case ClientMessageType::kDiffApproved:
      return answer(store_.RespondToDiff(message.id, DiffResponse::kApproved, session_id));
    case ClientMessageType::kDiffRejected:
      return answer(store_.RespondToDiff(message.id, DiffResponse::kRejected, session_id));
    case ClientMessageType::kAfterScreenshot:
      // Answered with the annotation as it is: the image is beside it.
      return answer(StoreAfterScreenshot(session_id, message));
    case ClientMessageType::kAccept:
      return answer(store_.Accept(message.id, session_id));
    case ClientMessageType::kReopen:
      return answer(store_.Reopen(message.id, message.message, session_id));
    case ClientMessageType::kAnnotationsClear: {
      auto cleared = store_.ClearSession(session_id);
      return [this, session_id, failed, cleared](const Status& committed) {
        if (!committed) return failed(committed.error());
        if (!cleared) return failed(cleared.error());
        auto entry = sessions_.find(session_id);
        if (entry == sessions_.end()) return;
        SessionState& state = entry->second;
        state.order.clear();
        state.shown.clear();
        Changed(state);
        auto heartbeat = Heartbeat();
        for (ConnectionId socket : state.connections) {
          SendSync(connections_.at(socket), state, heartbeat, false);
        }
      };
    }
    case ClientMessageType::kYoloToggle: {
      auto session = store_.ToggleYolo(session_id);
      return [this, session_id, failed, session](const Status& committed) {
        if (!committed) return failed(committed.error());
        if (!session) return failed(session.error());
        auto state = sessions_.find(session_id);
        if (state == sessions_.end()) return;
        state->second.yolo_mode = session->yolo_mode;
        SendToSession(state->second, MakeFrame(SessionFrame("session:updated", *session)));
      };
    }
    case ClientMessageType::kPing: {
      // lastSeenAt is not logged as an event: nothing to push, no feed to wake.
      auto touched = store_.TouchSession(session_id);
      return [failed, touched](const Status& committed) {
        if (!committed) return failed(committed.error());
        if (!touched) failed(touched.error());
      };
    }
    case ClientMessageType::kAnnotationsPage:
      // Read-only, but answered in its place among this socket's replies.
      return [this, id, session_id, message](const Status&) {
        auto connection = connections_.find(id);
        auto state = sessions_.find(session_id);
        if (connection == connections_.end() || state == sessions_.end()) return;
        SendPage(connection->second, state->second, message);
      };
  }
  return {};
}

Result<Annotation> Hub::StoreAfterScreenshot(const std::string& session_id,
                                             const ClientMessage& message) {
  auto annotation = store_.GetAnnotation(message.id);
  if (!annotation) return annotation.error();
  if (annotation->session_id != session_id) {
    return MakeError(ErrorCode::kForbidden,
                     "annotation " + message.id + " belongs to another session");
  }
  // Only between the agent's resolve and the user's verdict: the image is
  // what the user is asked to check.
  if (annotation->status != AnnotationStatus::kResolved) {
    return MakeError(ErrorCode::kWrongStatus,
                     "cannot store an after screenshot of annotation " + message.id + ": it is " +
                         StatusName(annotation->status) + ", and that needs it to be resolved");
  }
  if (auto ok = store_.PutScreenshot(message.id, *message.screenshot); !ok) return ok.error();
  return annotation;
}

const std::string& Hub::FormFor(const Connection& connection, const ShownAnnotation& shown) {
  return connection.proto < 2 && !shown.legacy_json.empty() ? shown.legacy_json : shown.json;
}

void Hub::Close(ConnectionId id) {
  auto found = connections_.find(id);
  if (found == connections_.end()) return;
  std::string session_id = std::move(found->second.session_id);
  connections_.erase(found);

  auto entry = sessions_.find(session_id);
  if (entry == sessions_.end()) return;
  auto& ids = entry->second.connections;
  ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
  if (!ids.empty()) return;  // another socket (a reload) still holds the session
  sessions_.erase(entry);
  (void)store_.SetSessionActive(session_id, false);
  AfterWrite();
}

void Hub::OnEvents(const std::vector<Event>& events) {
  // Only the newest event of each annotation matters: its current form is
  // read once. Sessions without a socket are not ours to push to.
  std::vector<const Event*> latest;
  std::unordered_map<std::string_view, std::size_t> slot;
  std::vector<std::string> sessions_changed;
  for (const Event& event : events) {
    if (!sessions_.contains(event.session_id)) continue;
    if (event.annotation_id.empty()) {
      if (event.type == EventType::kSessionUpdated) sessions_changed.push_back(event.session_id);
      continue;
    }
    auto [it, inserted] = slot.try_emplace(event.annotation_id, latest.size());
    if (inserted) {
      latest.push_back(&event);
    } else {
      latest[it->second] = &event;
    }
  }

  // Annotations gone from a session, forgotten in one pass per session.
  std::unordered_map<std::string, std::unordered_set<std::string>> gone;
  for (const Event* event : latest) {
    auto entry = sessions_.find(event->session_id);
    if (entry == sessions_.end()) continue;
    SessionState& state = entry->second;
    // Our own create, shown when it committed: the created event is the
    // annotation's first, and a later change would be the newest event.
    if (event->type == EventType::kAnnotationCreated &&
        state.shown.contains(event->annotation_id)) {
      continue;
    }
    if (event->type != EventType::kAnnotationDeleted) {
      auto annotation = store_.GetAnnotation(event->annotation_id);
      if (annotation) {
        if (annotation->session_id == event->session_id) Show(state, *annotation);
        continue;
      }
      if (annotation.error().code != ErrorCode::kNotFound) continue;
    }
    if (state.shown.contains(event->annotation_id)) {
      gone[event->session_id].insert(event->annotation_id);
    }
  }

  for (const std::string& session_id : sessions_changed) {
    auto entry = sessions_.find(session_id);
    auto session = store_.GetSession(session_id);
    if (entry == sessions_.end() || !session) continue;
    if (session->yolo_mode == entry->second.yolo_mode) continue;
    entry->second.yolo_mode = session->yolo_mode;
    SendToSession(entry->second, MakeFrame(SessionFrame("session:updated", *session)));
  }

  if (gone.empty()) return;
  auto heartbeat = Heartbeat();
  for (auto& [session_id, ids] : gone) {
    SessionState& state = sessions_.at(session_id);
    Forget(state, ids);
    for (ConnectionId id : state.connections) {
      SendSync(connections_.at(id), state, heartbeat, false);
    }
  }
}

void Hub::SyncAll() {
  auto heartbeat = Heartbeat();
  for (auto& [session_id, state] : sessions_) {
    for (ConnectionId id : state.connections) {
      SendSync(connections_.at(id), state, heartbeat, true);
    }
  }
}

void Hub::BroadcastManifest(const boost::json::object& manifest) {
  // One frame per revision, made only if a socket of that revision is there.
  Frame frames[2];
  for (auto& [id, connection] : connections_) {
    Frame& frame = frames[connection.proto >= 2 ? 1 : 0];
    if (!frame) frame = MakeFrame(ManifestFrameFor(connection.proto, manifest));
    connection.sink(frame);
  }
}

std::optional<std::string> Hub::SessionOf(ConnectionId id) const {
  auto found = connections_.find(id);
  if (found == connections_.end()) return std::nullopt;
  return found->second.session_id;
}

Hub::Shown Hub::Show(SessionState& state, const Annotation& annotation) {
  std::string json = Serialize(annotation);
  ShownAnnotation now{std::move(json), SerializeLegacy(annotation), IsTerminal(annotation.status),
                      annotation.updated_at, annotation.replies.size()};
  // The frame for revision 1 when its form differs, else the same frame.
  auto legacy = [](const ShownAnnotation& shown, std::string_view type, const Frame& same) {
    return shown.legacy_json.empty() ? same : MakeFrame(AnnotationFrame(type, shown.legacy_json));
  };
  auto found = state.shown.find(annotation.id);
  if (found == state.shown.end()) {
    Frame frame = MakeFrame(AnnotationFrame("annotation:created", now.json));
    Frame v1 = legacy(now, "annotation:created", frame);
    state.order.push_back(annotation.id);
    state.shown.emplace(annotation.id, std::move(now));
    Changed(state);
    SendToSession(state, v1, frame);
    return Shown::kNew;
  }
  ShownAnnotation& before = found->second;
  if (before.json == now.json) return Shown::kSame;
  bool reply_only = OnlyAReplyAppended(before.json, before.updated_at, before.replies, annotation);
  before = std::move(now);
  Changed(state);
  Frame full = MakeFrame(AnnotationFrame("annotation:updated", before.json));
  SendToSession(state, legacy(before, "annotation:updated", full),
                reply_only ? MakeFrame(ReplyFrame(annotation)) : full);
  return Shown::kChanged;
}

void Hub::Forget(SessionState& state, const std::unordered_set<std::string>& ids) {
  for (const std::string& id : ids) state.shown.erase(id);
  std::erase_if(state.order, [&](const std::string& id) { return ids.contains(id); });
  Changed(state);
}

void Hub::Changed(SessionState& state) {
  state.array_json.reset();
  state.legacy_array_json.reset();
  state.left_out.clear();
  state.version = next_version_++;
}

void Hub::SendToSession(const SessionState& state, const Frame& frame) {
  for (ConnectionId id : state.connections) connections_.at(id).sink(frame);
}

void Hub::SendToSession(const SessionState& state, const Frame& v1, const Frame& v2) {
  for (ConnectionId id : state.connections) {
    Connection& connection = connections_.at(id);
    connection.sink(connection.proto >= 2 ? v2 : v1);
  }
}

void Hub::SendError(const Connection& connection, const ProtocolError& error) {
  connection.sink(MakeFrame(ErrorFrame(error)));
}

void Hub::SendTo(ConnectionId id, const Frame& frame) {
  auto found = connections_.find(id);
  if (found != connections_.end()) found->second.sink(frame);
}

void Hub::SendErrorTo(ConnectionId id, const ProtocolError& error) {
  SendTo(id, MakeFrame(ErrorFrame(error)));
}

// Newest first: every non-terminal annotation, then terminal ones up to the
// cap, all within the byte budget. The frame lists them oldest first.
void Hub::BuildSync(SessionState& state) {
  if (state.array_json) return;
  std::vector<const std::string*> kept;  // newest first
  std::size_t bytes = 0, terminal = 0;
  for (bool terminal_pass : {false, true}) {
    for (auto it = state.order.rbegin(); it != state.order.rend(); ++it) {
      const ShownAnnotation& shown = state.shown.at(*it);
      if (shown.terminal != terminal_pass) continue;
      bool fits = bytes + shown.json.size() + 1 <= options_.sync_max_bytes;
      if (terminal_pass && terminal >= options_.sync_terminal_cap) fits = false;
      if (!fits) {
        state.left_out.push_back(*it);
        continue;
      }
      bytes += shown.json.size() + 1;
      if (terminal_pass) ++terminal;
      kept.push_back(&*it);
    }
  }
  // Left out, newest first across both passes.
  std::unordered_map<std::string_view, std::size_t> position;
  for (std::size_t i = 0; i < state.order.size(); ++i) position[state.order[i]] = i;
  std::sort(state.left_out.begin(), state.left_out.end(),
            [&](const std::string& a, const std::string& b) { return position[a] > position[b]; });
  std::sort(kept.begin(), kept.end(), [&](const std::string* a, const std::string* b) {
    return position[*a] < position[*b];
  });
  // Revision 1's array only when one of them reads differently there.
  bool legacy_differs = std::any_of(kept.begin(), kept.end(), [&](const std::string* id) {
    return !state.shown.at(*id).legacy_json.empty();
  });
  std::string array = "[", legacy = legacy_differs ? "[" : "";
  array.reserve(bytes + 2);
  for (const std::string* id : kept) {
    const ShownAnnotation& shown = state.shown.at(*id);
    if (array.size() > 1) array += ',';
    array += shown.json;
    if (!legacy_differs) continue;
    if (legacy.size() > 1) legacy += ',';
    legacy += shown.legacy_json.empty() ? shown.json : shown.legacy_json;
  }
  array += ']';
  state.array_json = std::move(array);
  if (legacy_differs) state.legacy_array_json = legacy + ']';
}

void Hub::SendSync(Connection& connection, SessionState& state, std::optional<Millis> heartbeat,
                   bool allow_unchanged) {
  if (allow_unchanged && connection.proto >= 2 && connection.synced_version == state.version) {
    connection.sink(MakeFrame(UnchangedFrame(state.version, heartbeat)));
    return;
  }
  BuildSync(state);
  connection.synced_version = state.version;
  const std::string& array = connection.proto < 2 && state.legacy_array_json
                                 ? *state.legacy_array_json
                                 : *state.array_json;
  connection.sink(MakeFrame(SyncFrame(array, heartbeat, state.version, state.left_out.size())));
}

// What the sync left out, newest first, from after the cursor (an id).
void Hub::SendPage(Connection& connection, SessionState& state, const ClientMessage& message) {
  BuildSync(state);
  const auto& rest = state.left_out;
  std::size_t start = 0;
  if (message.before) {
    auto it = std::find(rest.begin(), rest.end(), *message.before);
    if (it == rest.end()) {
      return SendError(connection,
                       {"invalid_argument",
                        "unknown cursor for annotations:page (the session changed; start again "
                        "with before: null)",
                        "annotations:page"});
    }
    start = static_cast<std::size_t>(it - rest.begin()) + 1;
  }
  std::size_t limit = message.limit ? message.limit : options_.page_default_count;
  limit = std::min(limit, options_.page_max_count);
  std::string array = "[";
  std::size_t i = start;
  for (; i < rest.size() && i - start < limit; ++i) {
    const std::string& json = FormFor(connection, state.shown.at(rest[i]));
    if (i > start && array.size() + json.size() > options_.page_max_bytes) break;
    if (array.size() > 1) array += ',';
    array += json;
  }
  array += ']';
  std::optional<std::string> next;
  if (i < rest.size() && i > start) next = rest[i - 1];
  connection.sink(MakeFrame(PageFrame(array, next)));
}

std::optional<Millis> Hub::Heartbeat() {
  auto heartbeat = store_.LastAgentHeartbeat();
  return heartbeat ? *heartbeat : std::nullopt;
}

void Hub::AfterWrite() {
  if (options_.after_write) options_.after_write();
}

}  // namespace nga::browser
