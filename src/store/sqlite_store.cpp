// Store on SQLite. Every change is one BEGIN IMMEDIATE transaction: the write
// lock is taken before the current state is read, so a read-check-write (the
// compare-and-set of a status change) cannot interleave with another
// process's, and the event row commits together with the change it reports.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <system_error>

#include "store/change_watcher.h"
#include "store/checkpointer.h"
#include "store/queries.h"
#include "store/schema.h"
#include "store/sqlite.h"
#include "store/store.h"
#include "store/validate.h"
#include "util/uuid.h"

namespace nga {

namespace json = boost::json;

const char* EventTypeName(EventType type) {
  switch (type) {
    case EventType::kSessionCreated:
      return "session.created";
    case EventType::kSessionUpdated:
      return "session.updated";
    case EventType::kAnnotationCreated:
      return "annotation.created";
    case EventType::kAnnotationUpdated:
      return "annotation.updated";
    case EventType::kAnnotationDeleted:
      return "annotation.deleted";
  }
  return "unknown";
}

namespace {

std::optional<EventType> ParseEventType(std::string_view name) {
  for (auto type :
       {EventType::kSessionCreated, EventType::kSessionUpdated, EventType::kAnnotationCreated,
        EventType::kAnnotationUpdated, EventType::kAnnotationDeleted}) {
    if (name == EventTypeName(type)) return type;
  }
  return std::nullopt;
}

constexpr const char* kAnnotationColumns =
    "id, session_id, created_at, updated_at, status, request, diff, diff_response, "
    "last_reply_author";
// The partial indexes annotations_waiting* are defined by exactly this
// condition (schema.cpp, migration 2); SQLite uses them only when a query
// says the same.
constexpr const char* kWaitingCondition =
    "(status = 'pending' OR "
    "(status IN ('acknowledged', 'diff_proposed') AND last_reply_author = 'user'))";
constexpr const char* kSessionColumns = "id, created_at, last_seen_at, active, url, yolo_mode";

}  // namespace

std::string AnnotationFilterWhere(bool by_session, bool by_status, bool after_cursor) {
  std::string where;
  auto add = [&where](const char* term) {
    where += (where.empty() ? " WHERE " : " AND ") + std::string(term);
  };
  if (by_session) add("session_id = ?1");
  if (by_status) add("status = ?2");
  // A keyset cursor: after the row named ?4 (created at ?3). The sub-query is
  // not correlated: SQLite runs it once, by primary key.
  if (after_cursor) {
    add("(created_at > ?3 OR (created_at = ?3 AND rowid > "
        "COALESCE((SELECT rowid FROM annotations WHERE id = ?4), -1)))");
  }
  return where;
}

std::string ListAnnotationsSql(bool by_session, bool by_status, bool after_cursor,
                               std::size_t limit) {
  std::string sql = std::string("SELECT ") + kAnnotationColumns + " FROM annotations" +
                    AnnotationFilterWhere(by_session, by_status, after_cursor) +
                    " ORDER BY created_at, rowid";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  return sql;
}

std::string WaitingWorkSql(bool by_session, std::size_t limit) {
  // INDEXED BY: without statistics the planner prefers an OR of two
  // status lookups and a sort; the partial index returns the rows in order.
  std::string sql = std::string("SELECT ") + kAnnotationColumns + " FROM annotations INDEXED BY " +
                    (by_session ? "annotations_waiting_by_session" : "annotations_waiting") +
                    " WHERE " + kWaitingCondition;
  if (by_session) sql += " AND session_id = ?1";
  sql += " ORDER BY created_at, rowid";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  return sql;
}

namespace {

Error NotFound(std::string_view what, std::string_view id) {
  return MakeError(ErrorCode::kNotFound, "no " + std::string(what) + " with id " + std::string(id));
}

std::string StatusList(std::initializer_list<AnnotationStatus> statuses) {
  std::string out;
  for (auto status : statuses) {
    if (!out.empty()) out += " or ";
    out += StatusName(status);
  }
  return out;
}

// One status change, as the named operations describe it.
struct Change {
  std::string_view id;
  std::string_view action;  // for messages: "acknowledge", "resolve", ...
  std::initializer_list<AnnotationStatus> allowed_from;
  std::optional<std::string_view> owner_session;
  std::optional<AnnotationStatus> to;
  std::optional<Author> reply_author;
  std::optional<std::string_view> reply_message;
  std::optional<std::string_view> diff;       // also clears diffResponse
  std::optional<DiffResponse> diff_response;  // only if none is recorded yet
  bool reply_capped = false;                  // refuse the reply at limits::kRepliesPerAnnotation
};

constexpr std::initializer_list<AnnotationStatus> kOpen = {
    AnnotationStatus::kPending, AnnotationStatus::kAcknowledged, AnnotationStatus::kDiffProposed};

class SqliteStore final : public Store {
 public:
  SqliteStore(sql::Database db, std::filesystem::path path, Clock clock, ChangeSignal signal,
              std::unique_ptr<Checkpointer> checkpointer)
      : db_(std::move(db)),
        path_(std::move(path)),
        clock_(std::move(clock)),
        signal_(std::move(signal)),
        checkpointer_(std::move(checkpointer)) {}

  const std::filesystem::path& path() const override { return path_; }

  // ---- sessions -------------------------------------------------------

  Result<Session> CreateSession(std::string_view url) override {
    if (auto ok = CheckUrl(url); !ok) return ok.error();
    Session session;
    session.id = NewUuidV4();
    session.created_at = session.last_seen_at = clock_();
    session.active = true;
    session.url = url;
    auto tx = sql::Transaction::Begin(db_);
    if (!tx) return tx.error();
    auto stmt = db_.Prepare(
        "INSERT INTO sessions(id, created_at, last_seen_at, active, url, yolo_mode) "
        "VALUES(?, ?, ?, 1, ?, 0)");
    if (!stmt) return stmt.error();
    (*stmt)
        ->Bind(1, session.id)
        .Bind(2, session.created_at)
        .Bind(3, session.last_seen_at)
        .Bind(4, session.url);
    if (auto ok = (*stmt)->Run(); !ok) return ok.error();
    if (auto ok = AppendEvent(EventType::kSessionCreated, session.id, ""); !ok) return ok.error();
    if (auto ok = Commit(*tx); !ok) return ok.error();
    return session;
  }

  Result<Session> ActivateSession(std::string_view id) override {
    return UpdateSession(id, "UPDATE sessions SET active = 1, last_seen_at = ? WHERE id = ?", true);
  }

  Result<Session> GetSession(std::string_view id) override {
    auto stmt =
        db_.Prepare(std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE id = ?");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, id);
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    if (!*row) return NotFound("session", id);
    Session session = ReadSession(**stmt);
    (*stmt)->Reset();
    return session;
  }

  Result<std::vector<Session>> ListSessions() override {
    auto stmt = db_.Prepare(std::string("SELECT ") + kSessionColumns +
                            " FROM sessions ORDER BY created_at, rowid");
    if (!stmt) return stmt.error();
    std::vector<Session> sessions;
    while (true) {
      auto row = (*stmt)->Step();
      if (!row) return row.error();
      if (!*row) break;
      sessions.push_back(ReadSession(**stmt));
    }
    (*stmt)->Reset();
    return sessions;
  }

  Status SetSessionActive(std::string_view id, bool active) override {
    auto done =
        UpdateSession(id,
                      active ? "UPDATE sessions SET active = 1, last_seen_at = ? WHERE id = ?"
                             : "UPDATE sessions SET active = 0, last_seen_at = ? WHERE id = ?",
                      true);
    if (!done) return done.error();
    return Ok{};
  }

  Status TouchSession(std::string_view id) override {
    auto done = UpdateSession(id, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", false);
    if (!done) return done.error();
    return Ok{};
  }

  Result<Session> ToggleYolo(std::string_view id) override {
    return UpdateSession(
        id, "UPDATE sessions SET yolo_mode = 1 - yolo_mode, last_seen_at = ? WHERE id = ?", true);
  }

  Status MarkAllSessionsInactive() override {
    auto tx = sql::Transaction::Begin(db_);
    if (!tx) return tx.error();
    auto events = db_.Prepare(
        "INSERT INTO events(type, session_id, annotation_id, at) "
        "SELECT 'session.updated', id, '', ? FROM sessions WHERE active = 1");
    if (!events) return events.error();
    (*events)->Bind(1, clock_());
    if (auto ok = (*events)->Run(); !ok) return ok.error();
    if (auto ok = db_.Exec("UPDATE sessions SET active = 0 WHERE active = 1"); !ok) return ok;
    return Commit(*tx);
  }

  // ---- annotations ----------------------------------------------------

  Result<Annotation> CreateAnnotation(std::string_view session_id,
                                      const json::object& payload) override {
    auto request = ValidateAnnotationPayload(payload);
    if (!request) return request.error();
    Annotation annotation;
    annotation.id = NewUuidV4();
    annotation.session_id = session_id;
    annotation.created_at = annotation.updated_at = clock_();
    annotation.request = std::move(*request);

    auto tx = sql::Transaction::Begin(db_);
    if (!tx) return tx.error();
    auto held = AnnotationsHeld(session_id);
    if (!held) return held.error();
    if (!*held) return NotFound("session", session_id);
    if (static_cast<std::size_t>(**held) >= limits::kAnnotationsPerSession) {
      return MakeError(ErrorCode::kLimitExceeded,
                       "this session already holds " + std::to_string(**held) +
                           " annotations, the limit; clear them (annotations:clear) or open the "
                           "app in a new tab for a new session");
    }
    if (auto ok = InsertAnnotation(annotation, /*replace_replies=*/false); !ok) return ok.error();
    if (auto ok = AppendEvent(EventType::kAnnotationCreated, annotation.session_id, annotation.id);
        !ok) {
      return ok.error();
    }
    if (auto ok = Commit(*tx); !ok) return ok.error();
    return annotation;
  }

  Result<Annotation> GetAnnotation(std::string_view id) override {
    // Built once: the pickup path reads an annotation per event.
    static const std::string kSql =
        std::string("SELECT ") + kAnnotationColumns + " FROM annotations WHERE id = ?";
    auto stmt = db_.Prepare(kSql);
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, id);
    auto list = ReadAnnotations(**stmt);
    if (!list) return list.error();
    if (list->empty()) return NotFound("annotation", id);
    return std::move(list->front());
  }

  Result<std::vector<Annotation>> ListAnnotations(const AnnotationFilter& filter) override {
    auto stmt =
        db_.Prepare(ListAnnotationsSql(filter.session_id.has_value(), filter.status.has_value(),
                                       filter.after.has_value(), filter.limit));
    if (!stmt) return stmt.error();
    BindFilter(**stmt, filter);
    return ReadAnnotations(**stmt);
  }

  Result<std::size_t> CountAnnotations(const AnnotationFilter& filter) override {
    auto stmt = db_.Prepare("SELECT COUNT(*) FROM annotations" + FilterWhere(filter));
    if (!stmt) return stmt.error();
    BindFilter(**stmt, filter);
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    std::size_t count = *row ? static_cast<std::size_t>((*stmt)->Int(0)) : 0;
    (*stmt)->Reset();
    return count;
  }

  Result<std::vector<Annotation>> ListWaitingWork(std::optional<std::string_view> session_id,
                                                  std::size_t limit) override {
    auto stmt = db_.Prepare(WaitingWorkSql(session_id.has_value(), limit));
    if (!stmt) return stmt.error();
    if (session_id) (*stmt)->Bind(1, *session_id);
    return ReadAnnotations(**stmt);
  }

  Result<Annotation> Acknowledge(std::string_view id,
                                 std::optional<std::string_view> message) override {
    if (message) {
      if (auto ok = ValidateMessage("message", *message); !ok) return ok.error();
    }
    return Apply({.id = id,
                  .action = "acknowledge",
                  .allowed_from = {AnnotationStatus::kPending},
                  .to = AnnotationStatus::kAcknowledged,
                  .reply_author = message ? std::optional(Author::kAgent) : std::nullopt,
                  .reply_message = message});
  }

  Result<Annotation> ProposeDiff(std::string_view id, std::string_view diff) override {
    if (auto ok = ValidateDiff(diff); !ok) return ok.error();
    return Apply({.id = id,
                  .action = "propose_diff",
                  .allowed_from = kOpen,
                  .to = AnnotationStatus::kDiffProposed,
                  .diff = diff});
  }

  Result<Annotation> RespondToDiff(std::string_view id, DiffResponse response,
                                   std::optional<std::string_view> owner_session) override {
    return Apply(
        {.id = id,
         .action = response == DiffResponse::kApproved ? "approve the diff" : "reject the diff",
         .allowed_from = {AnnotationStatus::kDiffProposed},
         .owner_session = owner_session,
         .diff_response = response});
  }

  Result<Annotation> Resolve(std::string_view id,
                             std::optional<std::string_view> summary) override {
    if (summary) {
      if (auto ok = ValidateMessage("summary", *summary); !ok) return ok.error();
    }
    return Apply({.id = id,
                  .action = "resolve",
                  .allowed_from = kOpen,
                  .to = AnnotationStatus::kResolved,
                  .reply_author = summary ? std::optional(Author::kAgent) : std::nullopt,
                  .reply_message = summary});
  }

  Result<Annotation> Dismiss(std::string_view id, std::string_view reason) override {
    if (auto ok = ValidateMessage("reason", reason); !ok) return ok.error();
    return Apply({.id = id,
                  .action = "dismiss",
                  .allowed_from = kOpen,
                  .to = AnnotationStatus::kDismissed,
                  .reply_author = Author::kAgent,
                  .reply_message = reason});
  }

  Result<Annotation> DeleteByUser(std::string_view id, std::string_view owner_session) override {
    return Apply({.id = id,
                  .action = "delete",
                  .allowed_from = {AnnotationStatus::kPending},
                  .owner_session = owner_session,
                  .to = AnnotationStatus::kDismissed});
  }

  Result<Annotation> AddReply(std::string_view id, Author author, std::string_view message,
                              std::optional<std::string_view> owner_session) override {
    if (auto ok = ValidateMessage("message", message); !ok) return ok.error();
    return Apply({.id = id,
                  .action = "reply",
                  .allowed_from = {},
                  .owner_session = owner_session,
                  .reply_author = author,
                  .reply_message = message,
                  .reply_capped = true});
  }

  Result<std::size_t> ClearSession(std::string_view session_id) override {
    auto tx = sql::Transaction::Begin(db_);
    if (!tx) return tx.error();
    auto events = db_.Prepare(
        "INSERT INTO events(type, session_id, annotation_id, at) "
        "SELECT 'annotation.deleted', session_id, id, ?1 FROM annotations "
        "WHERE session_id = ?2 ORDER BY created_at, rowid");
    if (!events) return events.error();
    (*events)->Bind(1, clock_()).Bind(2, session_id);
    if (auto ok = (*events)->Run(); !ok) return ok.error();
    auto del = db_.Prepare("DELETE FROM annotations WHERE session_id = ?");
    if (!del) return del.error();
    (*del)->Bind(1, session_id);
    if (auto ok = (*del)->Run(); !ok) return ok.error();
    std::size_t removed = static_cast<std::size_t>(db_.Changes());
    if (auto ok = Commit(*tx); !ok) return ok.error();
    return removed;
  }

  // ---- heartbeat ------------------------------------------------------

  // ---- screenshots ----------------------------------------------------

  Status PutScreenshot(std::string_view annotation_id, const Screenshot& shot) override {
    auto tx = sql::Transaction::Begin(db_);
    if (!tx) return tx.error();
    auto exists = RowExists("SELECT 1 FROM annotations WHERE id = ?1", annotation_id);
    if (!exists) return exists.error();
    if (!*exists) return NotFound("annotation", annotation_id);
    auto stmt = db_.Prepare(
        "INSERT OR REPLACE INTO screenshots "
        "(annotation_id, kind, mime_type, width, height, data, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!stmt) return stmt.error();
    (*stmt)
        ->Bind(1, annotation_id)
        .Bind(2, ScreenshotKindName(shot.kind))
        .Bind(3, shot.mime_type)
        .Bind(4, static_cast<std::int64_t>(shot.width))
        .Bind(5, static_cast<std::int64_t>(shot.height))
        .BindBlob(6, shot.bytes)
        .Bind(7, static_cast<std::int64_t>(clock_()));
    if (auto ok = (*stmt)->Run(); !ok) return ok.error();
    return Commit(*tx);
  }

  Result<std::optional<Screenshot>> GetScreenshot(std::string_view annotation_id,
                                                  ScreenshotKind kind) override {
    auto stmt = db_.Prepare(
        "SELECT mime_type, width, height, data, created_at FROM screenshots "
        "WHERE annotation_id = ?1 AND kind = ?2");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, annotation_id).Bind(2, ScreenshotKindName(kind));
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    std::optional<Screenshot> shot;
    if (*row) {
      shot.emplace();
      shot->kind = kind;
      shot->mime_type = (*stmt)->Text(0);
      shot->width = static_cast<int>((*stmt)->Int(1));
      shot->height = static_cast<int>((*stmt)->Int(2));
      shot->bytes = (*stmt)->Blob(3);
      shot->created_at = (*stmt)->Int(4);
    }
    (*stmt)->Reset();
    return shot;
  }

  Status PutBuildManifest(const BuildManifest& manifest) override {
    auto tx = sql::Transaction::Begin(db_);
    if (!tx) return tx.error();
    auto clear = db_.Prepare("DELETE FROM build_sources WHERE build_id = ?1");
    if (!clear) return clear.error();
    (*clear)->Bind(1, manifest.build);
    if (auto ok = (*clear)->Run(); !ok) return ok.error();
    auto insert = db_.Prepare(
        "INSERT OR REPLACE INTO build_sources (build_id, source_id, location) VALUES (?1, ?2, ?3)");
    if (!insert) return insert.error();
    for (const auto& [id, location] : manifest.sources) {
      (*insert)->Bind(1, manifest.build).Bind(2, id).Bind(3, location);
      if (auto ok = (*insert)->Run(); !ok) return ok.error();
    }
    return Commit(*tx);
  }

  Result<std::optional<std::string>> FindBuildSource(std::string_view build_id,
                                                     std::string_view source_id) override {
    auto stmt =
        db_.Prepare("SELECT location FROM build_sources WHERE build_id = ?1 AND source_id = ?2");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, build_id).Bind(2, source_id);
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    std::optional<std::string> location;
    if (*row) location = (*stmt)->Text(0);
    (*stmt)->Reset();
    return location;
  }

  Status RecordAgentHeartbeat() override { return WriteHeartbeat(clock_()); }

  Result<std::optional<Millis>> LastAgentHeartbeat() override {
    auto stmt = db_.Prepare("SELECT value FROM meta WHERE key = 'lastAgentHeartbeat'");
    if (!stmt) return stmt.error();
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    std::optional<Millis> at;
    if (*row) at = std::stoll((*stmt)->Text(0));
    (*stmt)->Reset();
    return at;
  }

  // ---- change feed ----------------------------------------------------

  Result<std::int64_t> LatestSequence() override {
    auto stmt = db_.Prepare("SELECT COALESCE(MAX(seq), 0) FROM events");
    if (!stmt) return stmt.error();
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    std::int64_t seq = (*stmt)->Int(0);
    (*stmt)->Reset();
    return seq;
  }

  Result<std::vector<Event>> EventsSince(std::int64_t after, std::size_t limit) override {
    auto stmt = db_.Prepare(
        "SELECT seq, type, session_id, annotation_id, at FROM events "
        "WHERE seq > ? ORDER BY seq LIMIT ?");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, after).Bind(2, static_cast<std::int64_t>(limit));
    std::vector<Event> events;
    while (true) {
      auto row = (*stmt)->Step();
      if (!row) return row.error();
      if (!*row) break;
      auto type = ParseEventType((*stmt)->Text(1));
      if (!type) continue;  // written by a newer binary: not ours to interpret
      events.push_back(
          Event{(*stmt)->Int(0), *type, (*stmt)->Text(2), (*stmt)->Text(3), (*stmt)->Int(4)});
    }
    (*stmt)->Reset();
    return events;
  }

  // ---- group commit ---------------------------------------------------

  Status BeginBatch() override {
    if (batch_open_) return MakeError(ErrorCode::kStorage, "store: a batch is already open");
    if (auto ok = db_.Exec("BEGIN IMMEDIATE"); !ok) return ok;
    batch_open_ = true;
    return Ok{};
  }

  Status CommitBatch() override {
    if (!batch_open_) return Ok{};
    batch_open_ = false;
    auto done = db_.Exec("COMMIT");
    if (!done) {
      (void)db_.Exec("ROLLBACK");
      return done;
    }
    signal_.Notify();
    return done;
  }

  void AbortBatch() override {
    if (!batch_open_) return;
    batch_open_ = false;
    (void)db_.Exec("ROLLBACK");
  }

  bool in_batch() const override { return batch_open_; }

  // ---- bulk -----------------------------------------------------------

  Status Import(const std::vector<Session>& sessions, const std::vector<Annotation>& annotations,
                std::optional<Millis> last_agent_heartbeat) override {
    auto tx = sql::Transaction::Begin(db_);
    if (!tx) return tx.error();
    for (const auto& session : sessions) {
      auto stmt = db_.Prepare(
          "INSERT INTO sessions(id, created_at, last_seen_at, active, url, yolo_mode) "
          "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET "
          "created_at = ?2, last_seen_at = ?3, active = ?4, url = ?5, yolo_mode = ?6");
      if (!stmt) return stmt.error();
      (*stmt)
          ->Bind(1, session.id)
          .Bind(2, session.created_at)
          .Bind(3, session.last_seen_at)
          .Bind(4, std::int64_t{session.active})
          .Bind(5, session.url)
          .Bind(6, std::int64_t{session.yolo_mode});
      if (auto ok = (*stmt)->Run(); !ok) return ok;
      if (auto ok = AppendEvent(EventType::kSessionUpdated, session.id, ""); !ok) return ok;
    }
    for (const auto& annotation : annotations) {
      auto exists = SessionExists(annotation.session_id);
      if (!exists) return exists.error();
      if (!*exists) {
        return MakeError(ErrorCode::kNotFound, "annotation " + annotation.id + " names session " +
                                                   annotation.session_id +
                                                   ", which is neither stored nor imported");
      }
      auto existed = AnnotationExists(annotation.id);
      if (!existed) return existed.error();
      if (auto ok = InsertAnnotation(annotation); !ok) return ok;
      auto type = *existed ? EventType::kAnnotationUpdated : EventType::kAnnotationCreated;
      if (auto ok = AppendEvent(type, annotation.session_id, annotation.id); !ok) return ok;
    }
    if (last_agent_heartbeat) {
      if (auto ok = WriteHeartbeat(*last_agent_heartbeat); !ok) return ok;
    }
    return Commit(*tx);
  }

  Result<std::string> IntegrityCheck() override {
    auto stmt = db_.Prepare("PRAGMA integrity_check");
    if (!stmt) return stmt.error();
    std::string report;
    while (true) {
      auto row = (*stmt)->Step();
      if (!row) return row.error();
      if (!*row) break;
      if (!report.empty()) report += "\n";
      report += (*stmt)->Text(0);
    }
    (*stmt)->Reset();
    return report;
  }

 private:
  static Status CheckUrl(std::string_view url) {
    if (url.size() > limits::kShortFieldChars) {
      return MakeError(ErrorCode::kLimitExceeded, "session url is too long");
    }
    return Ok{};
  }

  static Session ReadSession(const sql::Statement& row) {
    return Session{row.Text(0),     row.Int(1),  row.Int(2),
                   row.Int(3) != 0, row.Text(4), row.Int(5) != 0};
  }

  // Runs an UPDATE of one session (binding now and id) and logs it if asked.
  Result<Session> UpdateSession(std::string_view id, const char* sql, bool log_event) {
    {
      auto tx = sql::Transaction::Begin(db_);
      if (!tx) return tx.error();
      auto stmt = db_.Prepare(sql);
      if (!stmt) return stmt.error();
      (*stmt)->Bind(1, clock_()).Bind(2, id);
      if (auto ok = (*stmt)->Run(); !ok) return ok.error();
      if (db_.Changes() == 0) return NotFound("session", id);
      if (log_event) {
        if (auto ok = AppendEvent(EventType::kSessionUpdated, id, ""); !ok) return ok.error();
      }
      // Nothing logged (a ping's lastSeenAt): no watcher has anything to read.
      if (auto ok = log_event ? Commit(*tx) : tx->Commit(); !ok) return ok.error();
    }
    return GetSession(id);
  }

  Result<bool> SessionExists(std::string_view id) {
    return RowExists("SELECT 1 FROM sessions WHERE id = ?", id);
  }

  // How many annotations a session holds (schema 3's trigger-kept count);
  // nullopt when there is no such session.
  Result<std::optional<std::int64_t>> AnnotationsHeld(std::string_view session_id) {
    return FirstInt("SELECT annotation_count FROM sessions WHERE id = ?", session_id);
  }

  Result<bool> AnnotationExists(std::string_view id) {
    return RowExists("SELECT 1 FROM annotations WHERE id = ?", id);
  }

  // Commits, then wakes every watcher of the store (in any process). Inside
  // a batch this only releases the change's savepoint: CommitBatch wakes them.
  Status Commit(sql::Transaction& tx) {
    auto done = tx.Commit();
    if (done && !batch_open_) signal_.Notify();
    return done;
  }

  // Whether `sql`, given one id, returns a row.
  Result<bool> RowExists(const char* sql, std::string_view id) {
    auto stmt = db_.Prepare(sql);
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, id);
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    (*stmt)->Reset();
    return *row;
  }

  Status WriteHeartbeat(Millis at) {
    auto stmt = db_.Prepare(
        "INSERT INTO meta(key, value) VALUES('lastAgentHeartbeat', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, std::to_string(at));
    return (*stmt)->Run();
  }

  Status AppendEvent(EventType type, std::string_view session_id, std::string_view annotation_id) {
    auto stmt =
        db_.Prepare("INSERT INTO events(type, session_id, annotation_id, at) VALUES(?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    (*stmt)
        ->Bind(1, std::string_view(EventTypeName(type)))
        .Bind(2, session_id)
        .Bind(3, annotation_id)
        .Bind(4, clock_());
    return (*stmt)->Run();
  }

  // Inserts or overwrites an annotation row and replaces its replies.
  // The WHERE clause of a filter; parameters ?1 session, ?2 status, ?3/?4 cursor.
  static std::string FilterWhere(const AnnotationFilter& filter) {
    return AnnotationFilterWhere(filter.session_id.has_value(), filter.status.has_value(),
                                 filter.after.has_value());
  }

  static void BindFilter(sql::Statement& stmt, const AnnotationFilter& filter) {
    if (filter.session_id) stmt.Bind(1, *filter.session_id);
    if (filter.status) stmt.Bind(2, std::string_view(StatusName(*filter.status)));
    if (filter.after) stmt.Bind(3, filter.after->created_at).Bind(4, filter.after->id);
  }

  // The one integer a `SELECT COUNT(*) ... WHERE x = ?` query returns.
  // The first column of the first row of `sql` bound to `key`; nullopt for no row.
  Result<std::optional<std::int64_t>> FirstInt(const char* sql, std::string_view key) {
    auto stmt = db_.Prepare(sql);
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, key);
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    std::optional<std::int64_t> value;
    if (*row) value = (*stmt)->Int(0);
    (*stmt)->Reset();
    return value;
  }

  Result<std::int64_t> CountRows(const char* sql, std::string_view key) {
    auto first = FirstInt(sql, key);
    if (!first) return first.error();
    return first->value_or(0);
  }

  Status InsertAnnotation(const Annotation& a, bool replace_replies = true) {
    auto stmt = db_.Prepare(
        "INSERT INTO annotations(id, session_id, created_at, updated_at, status, request, diff, "
        "diff_response) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO UPDATE SET "
        "session_id = ?2, created_at = ?3, updated_at = ?4, status = ?5, request = ?6, "
        "diff = ?7, diff_response = ?8");
    if (!stmt) return stmt.error();
    std::optional<std::string> response;
    if (a.diff_response) response = DiffResponseName(*a.diff_response);
    (*stmt)
        ->Bind(1, a.id)
        .Bind(2, a.session_id)
        .Bind(3, a.created_at)
        .Bind(4, a.updated_at)
        .Bind(5, std::string_view(StatusName(a.status)))
        .Bind(6, std::string_view(json::serialize(a.request)))
        .Bind(7, a.diff)
        .Bind(8, response);
    if (auto ok = (*stmt)->Run(); !ok) return ok;
    if (!replace_replies) return Ok{};  // a new annotation has none
    auto clear = db_.Prepare("DELETE FROM replies WHERE annotation_id = ?");
    if (!clear) return clear.error();
    (*clear)->Bind(1, a.id);
    if (auto ok = (*clear)->Run(); !ok) return ok;
    for (const auto& reply : a.replies) {
      if (auto ok = InsertReply(a.id, reply); !ok) return ok;
    }
    auto last = db_.Prepare(
        "UPDATE annotations SET last_reply_author = (SELECT author FROM replies r "
        "WHERE r.annotation_id = ?1 ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1) "
        "WHERE id = ?1");
    if (!last) return last.error();
    (*last)->Bind(1, a.id);
    return (*last)->Run();
  }

  Status InsertReply(std::string_view annotation_id, const Reply& reply) {
    auto stmt = db_.Prepare(
        "INSERT INTO replies(id, annotation_id, created_at, author, message) "
        "VALUES(?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    (*stmt)
        ->Bind(1, reply.id)
        .Bind(2, annotation_id)
        .Bind(3, reply.created_at)
        .Bind(4, std::string_view(AuthorName(reply.author)))
        .Bind(5, reply.message);
    return (*stmt)->Run();
  }

  // Reads the rows of a SELECT of kAnnotationColumns; replies only for the
  // annotations that have any.
  Result<std::vector<Annotation>> ReadAnnotations(sql::Statement& stmt) {
    std::vector<Annotation> out;
    std::vector<std::size_t> with_replies;
    while (true) {
      auto row = stmt.Step();
      if (!row) return row.error();
      if (!*row) break;
      Annotation a;
      a.id = stmt.Text(0);
      a.session_id = stmt.Text(1);
      a.created_at = stmt.Int(2);
      a.updated_at = stmt.Int(3);
      a.status = ParseStatus(stmt.Text(4)).value_or(AnnotationStatus::kPending);
      std::error_code ec;
      json::value request = json::parse(stmt.Text(5), ec);
      if (!ec && request.is_object()) a.request = std::move(request.get_object());
      a.diff = stmt.OptionalText(6);
      auto response = stmt.OptionalText(7);
      if (response == "approved") a.diff_response = DiffResponse::kApproved;
      if (response == "rejected") a.diff_response = DiffResponse::kRejected;
      bool has_replies = !stmt.IsNull(8);
      out.push_back(std::move(a));
      if (has_replies) with_replies.push_back(out.size() - 1);
    }
    stmt.Reset();
    for (std::size_t i : with_replies) {
      if (auto ok = ReadReplies(out[i]); !ok) return ok.error();
    }
    return out;
  }

  Status ReadReplies(Annotation& a) {
    auto stmt = db_.Prepare(
        "SELECT id, created_at, author, message FROM replies WHERE annotation_id = ? "
        "ORDER BY created_at, rowid");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, a.id);
    while (true) {
      auto row = (*stmt)->Step();
      if (!row) return row.error();
      if (!*row) break;
      a.replies.push_back(Reply{(*stmt)->Text(0), (*stmt)->Int(1),
                                (*stmt)->Text(2) == "agent" ? Author::kAgent : Author::kUser,
                                (*stmt)->Text(3)});
    }
    (*stmt)->Reset();
    return Ok{};
  }

  // The compare-and-set at the heart of every status change.
  Result<Annotation> Apply(const Change& change) {
    {
      auto tx = sql::Transaction::Begin(db_);
      if (!tx) return tx.error();
      auto current =
          db_.Prepare("SELECT session_id, status, diff_response FROM annotations WHERE id = ?");
      if (!current) return current.error();
      (*current)->Bind(1, change.id);
      auto row = (*current)->Step();
      if (!row) return row.error();
      if (!*row) return NotFound("annotation", change.id);
      std::string session_id = (*current)->Text(0);
      auto status = ParseStatus((*current)->Text(1)).value_or(AnnotationStatus::kPending);
      bool has_response = !(*current)->IsNull(2);
      (*current)->Reset();

      if (change.owner_session && *change.owner_session != session_id) {
        return MakeError(ErrorCode::kForbidden,
                         "annotation " + std::string(change.id) + " belongs to another session");
      }
      bool allowed = change.allowed_from.size() == 0;
      for (auto from : change.allowed_from) allowed = allowed || from == status;
      if (!allowed) {
        return MakeError(ErrorCode::kWrongStatus,
                         "cannot " + std::string(change.action) + " annotation " +
                             std::string(change.id) + ": it is " + StatusName(status) +
                             ", and that needs it to be " + StatusList(change.allowed_from));
      }
      if (change.diff_response && has_response) {
        return MakeError(ErrorCode::kWrongStatus, "cannot " + std::string(change.action) +
                                                      " annotation " + std::string(change.id) +
                                                      ": the diff was already answered");
      }

      if (change.reply_capped) {
        auto replies = CountRows("SELECT COUNT(*) FROM replies WHERE annotation_id = ?", change.id);
        if (!replies) return replies.error();
        if (static_cast<std::size_t>(*replies) >= limits::kRepliesPerAnnotation) {
          return MakeError(ErrorCode::kLimitExceeded,
                           "annotation " + std::string(change.id) + " already has " +
                               std::to_string(*replies) +
                               " replies, the limit; resolve or dismiss it and start a new one");
        }
      }

      Millis now = clock_();
      auto update = db_.Prepare(
          "UPDATE annotations SET updated_at = ?1, status = COALESCE(?2, status), "
          "diff = CASE WHEN ?3 IS NULL THEN diff ELSE ?3 END, "
          "diff_response = CASE WHEN ?3 IS NOT NULL THEN NULL "
          "WHEN ?4 IS NOT NULL THEN ?4 ELSE diff_response END, "
          "last_reply_author = COALESCE(?6, last_reply_author) WHERE id = ?5");
      if (!update) return update.error();
      (*update)->Bind(1, now);
      if (change.to) (*update)->Bind(2, std::string_view(StatusName(*change.to)));
      if (change.diff) (*update)->Bind(3, *change.diff);
      if (change.diff_response) {
        (*update)->Bind(4, std::string_view(DiffResponseName(*change.diff_response)));
      }
      (*update)->Bind(5, change.id);
      if (change.reply_author && change.reply_message) {
        (*update)->Bind(6, std::string_view(AuthorName(*change.reply_author)));
      }
      if (auto ok = (*update)->Run(); !ok) return ok.error();
      if (change.reply_author && change.reply_message) {
        Reply reply{NewUuidV4(), now, *change.reply_author, std::string(*change.reply_message)};
        if (auto ok = InsertReply(change.id, reply); !ok) return ok.error();
      }
      if (auto ok = AppendEvent(EventType::kAnnotationUpdated, session_id, change.id); !ok) {
        return ok.error();
      }
      if (auto ok = Commit(*tx); !ok) return ok.error();
    }
    return GetAnnotation(change.id);
  }

  sql::Database db_;
  std::filesystem::path path_;
  Clock clock_;
  ChangeSignal signal_;
  // After db_: destroyed (its thread joined) before the writer connection closes.
  std::unique_ptr<Checkpointer> checkpointer_;
  bool batch_open_ = false;
};

}  // namespace

void ConfigureStorageForProcess() {
  // SQLITE_MISUSE once SQLite is initialised: then nothing changes, harmlessly.
  (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

Result<std::unique_ptr<Store>> Store::Open(const std::filesystem::path& db_file,
                                           StoreOptions options) {
  std::error_code ec;
  if (db_file.has_parent_path()) std::filesystem::create_directories(db_file.parent_path(), ec);
  if (ec) {
    return MakeError(ErrorCode::kIo,
                     "cannot create " + db_file.parent_path().string() + ": " + ec.message());
  }
  auto db = sql::Database::Open(db_file.string(), options.busy_timeout_ms);
  if (!db) return db.error();
  // WAL lets readers in other processes run beside a writer; synchronous=NORMAL
  // keeps every committed write through a process crash (kill -9), though not
  // through a power cut, at a fraction of FULL's cost.
  if (auto ok = db->Exec("PRAGMA journal_mode = WAL"); !ok) return ok.error();
  // temp_store=MEMORY: a batch's per-change savepoints keep their undo pages
  // in a statement journal, which otherwise spills to a temp file (about 14
  // pwrite calls per create measured with strace).
  // cache_size 16 MiB (SQLite's default is 2): at 100 000 stored the random
  // UUID key's index alone is ~1 200 pages, and a 2 000-create batch dirties
  // most of them, so a 2 MiB cache spilled dirty pages into the WAL mid-batch
  // and read them back (/proc/PID/io per burst: 4 600 reads of 19 MB before,
  // 1 500 of 6 MB after). Memory is taken only as pages are used.
  if (auto ok = db->Exec(
          "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; "
          "PRAGMA cache_size = -16384");
      !ok) {
    return ok.error();
  }
  if (auto ok = Migrate(*db); !ok) return ok.error();
  auto signal = ChangeSignal::Open(db_file);
  if (!signal) return signal.error();
  std::unique_ptr<Checkpointer> checkpointer;
  if (options.background_checkpoint) {
    auto started = Checkpointer::Start(db_file.string());
    if (!started) return started.error();
    checkpointer = std::move(*started);
    checkpointer->Attach(db->raw());
  }
  return std::unique_ptr<Store>(new SqliteStore(std::move(*db), db_file, std::move(options.clock),
                                                std::move(*signal), std::move(checkpointer)));
}

}  // namespace nga
