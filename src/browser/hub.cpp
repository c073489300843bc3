#include "browser/hub.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <utility>

namespace nga::browser {
namespace {

Frame MakeFrame(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

std::string Serialize(const Annotation& annotation) {
  return boost::json::serialize(ToJson(annotation));
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
      state.shown.emplace(annotation.id, Serialize(annotation));
    }
  }
  state.yolo_mode = session->yolo_mode;

  ConnectionId id = next_id_++;
  state.connections.push_back(id);
  Connection& connection =
      connections_.emplace(id, Connection{session->id, std::move(sink)}).first->second;
  connection.sink(MakeFrame(SessionFrame("session:created", *session)));
  connection.sink(
      MakeFrame(ManifestFrame(options_.manifest ? options_.manifest() : boost::json::object{})));
  connection.sink(MakeSync(state, Heartbeat()));
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
  bool logged = message.type != ClientMessageType::kPing;
  if (!options_.writes) {
    AfterCommit after = Handle(id, session_id, message);
    after(Ok{});
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
  // The reply to a change of one annotation is its new form, sent to every
  // socket of the session (this one included) by Show().
  auto answer = [&](Result<Annotation> result) -> AfterCommit {
    return [this, id, session_id, failed, result = std::move(result)](const Status& committed) {
      if (!committed) return failed(committed.error());
      if (!result) return failed(result.error());
      auto state = sessions_.find(session_id);
      if (state == sessions_.end()) return;
      if (Show(state->second, *result) == Shown::kSame) {
        SendTo(id,
               MakeFrame(AnnotationFrame("annotation:updated", state->second.shown[result->id])));
      }
    };
  };

  switch (message.type) {
    case ClientMessageType::kAnnotationCreate:
      return answer(store_.CreateAnnotation(session_id, message.payload));
    case ClientMessageType::kAnnotationReply:
      return answer(store_.AddReply(message.id, Author::kUser, message.message, session_id));
    case ClientMessageType::kAnnotationDelete:
      return answer(store_.DeleteByUser(message.id, session_id));
    case ClientMessageType::kDiffApproved:
      return answer(store_.RespondToDiff(message.id, DiffResponse::kApproved, session_id));
    case ClientMessageType::kDiffRejected:
      return answer(store_.RespondToDiff(message.id, DiffResponse::kRejected, session_id));
    case ClientMessageType::kAnnotationsClear: {
      auto cleared = store_.ClearSession(session_id);
      return [this, session_id, failed, cleared](const Status& committed) {
        if (!committed) return failed(committed.error());
        if (!cleared) return failed(cleared.error());
        auto state = sessions_.find(session_id);
        if (state == sessions_.end()) return;
        state->second.order.clear();
        state->second.shown.clear();
        state->second.array_json.reset();
        SendToSession(state->second, MakeSync(state->second, Heartbeat()));
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
  }
  return {};
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
    SendToSession(state, MakeSync(state, heartbeat));
  }
}

void Hub::SyncAll() {
  auto heartbeat = Heartbeat();
  for (auto& [session_id, state] : sessions_) SendToSession(state, MakeSync(state, heartbeat));
}

void Hub::BroadcastManifest(const boost::json::object& manifest) {
  Frame frame = MakeFrame(ManifestFrame(manifest));
  for (auto& [id, connection] : connections_) connection.sink(frame);
}

std::optional<std::string> Hub::SessionOf(ConnectionId id) const {
  auto found = connections_.find(id);
  if (found == connections_.end()) return std::nullopt;
  return found->second.session_id;
}

Hub::Shown Hub::Show(SessionState& state, const Annotation& annotation) {
  std::string json = Serialize(annotation);
  auto found = state.shown.find(annotation.id);
  if (found == state.shown.end()) {
    Frame frame = MakeFrame(AnnotationFrame("annotation:created", json));
    state.order.push_back(annotation.id);
    state.shown.emplace(annotation.id, std::move(json));
    state.array_json.reset();
    SendToSession(state, frame);
    return Shown::kNew;
  }
  if (found->second == json) return Shown::kSame;
  found->second = std::move(json);
  state.array_json.reset();
  SendToSession(state, MakeFrame(AnnotationFrame("annotation:updated", found->second)));
  return Shown::kChanged;
}

void Hub::Forget(SessionState& state, const std::unordered_set<std::string>& ids) {
  for (const std::string& id : ids) state.shown.erase(id);
  std::erase_if(state.order, [&](const std::string& id) { return ids.contains(id); });
  state.array_json.reset();
}

void Hub::SendToSession(const SessionState& state, const Frame& frame) {
  for (ConnectionId id : state.connections) connections_.at(id).sink(frame);
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

Frame Hub::MakeSync(SessionState& state, std::optional<Millis> heartbeat) {
  if (!state.array_json) {
    std::string array = "[";
    for (const std::string& id : state.order) {
      if (array.size() > 1) array += ',';
      array += state.shown.at(id);
    }
    array += ']';
    state.array_json = std::move(array);
  }
  return MakeFrame(SyncFrame(*state.array_json, heartbeat));
}

std::optional<Millis> Hub::Heartbeat() {
  auto heartbeat = store_.LastAgentHeartbeat();
  return heartbeat ? *heartbeat : std::nullopt;
}

void Hub::AfterWrite() {
  if (options_.after_write) options_.after_write();
}

}  // namespace nga::browser
