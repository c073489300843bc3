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
#include "store/status_change.h"
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
    "last_reply_author, author_name, status_by";
// The partial indexes annotations_waiting* are defined by exactly this
// condition (schema.cpp, migration 2); SQLite uses them only when a query
// says the same.
constexpr const char* kWaitingCondition =
    "(status = 'pending' OR "
    "(status IN ('acknowledged', 'diff_proposed') AND last_reply_author = 'user'))";
constexpr const char* kSessionColumns = "id, created_at, last_seen_at, active, url, yolo_mode";

}  // namespace

std::string AnnotationFilterWhere(bool by_session, bool by_status, bool after_cursor) {
  std::string where = " WHERE project = ?5";
  auto add = [&where](const char* term) { where += " AND " + std::string(term); };
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
                    " WHERE " + kWaitingCondition + " AND project = ?2";
  if (by_session) sql += " AND session_id = ?1";
  sql += " ORDER BY created_at, rowid";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  return sql;
}

namespace {

Error NotFound(std::string_view what, std::string_view id) { return NotFoundError(what, id); }

class SqliteStore final : public StatusChangeStore {
 public:
  SqliteStore(sql::Database db, std::filesystem::path path, std::string project, Clock clock,
              ChangeSignal signal, std::unique_ptr<Checkpointer> checkpointer)
      : db_(std::move(db)),
        path_(std::move(path)),
        project_(std::move(project)),
        clock_(std::move(clock)),
        signal_(std::move(signal)),
        checkpointer_(std::move(checkpointer)) {}

  const std::filesystem::path& path() const override { return path_; }
  const std::string& project() const override { return project_; }

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
        "INSERT INTO sessions(id, created_at, last_seen_at, active, url, yolo_mode, project) "
        "VALUES(?, ?, ?, 1, ?, 0, ?)");
    if (!stmt) return stmt.error();
    (*stmt)
        ->Bind(1, session.id)
        .Bind(2, session.created_at)
        .Bind(3, session.last_seen_at)
        .Bind(4, session.url)
        .Bind(5, project_);
    if (auto ok = (*stmt)->Run(); !ok) return ok.error();
    if (auto ok = AppendEvent(EventType::kSessionCreated, session.id, ""); !ok) return ok.error();
    if (auto ok = Commit(*tx); !ok) return ok.error();
    return session;
  }

  Result<Session> ActivateSession(std::string_view id) override {
    return UpdateSession(
        id, "UPDATE sessions SET active = 1, last_seen_at = ?1 WHERE id = ?2 AND project = ?3",
        true);
  }

  Result<Session> GetSession(std::string_view id) override {
    auto stmt = db_.Prepare(std::string("SELECT ") + kSessionColumns +
                            " FROM sessions WHERE id = ?1 AND project = ?2");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, id).Bind(2, project_);
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    if (!*row) return NotFound("session", id);
    Session session = ReadSession(**stmt);
    (*stmt)->Reset();
    return session;
  }

  Result<std::vector<Session>> ListSessions() override {
    auto stmt = db_.Prepare(std::string("SELECT ") + kSessionColumns +
                            " FROM sessions WHERE project = ?1 ORDER BY created_at, rowid");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, project_);
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
    auto done = UpdateSession(id,
                              active ? "UPDATE sessions SET active = 1, last_seen_at = ?1 "
                                       "WHERE id = ?2 AND project = ?3"
                                     : "UPDATE sessions SET active = 0, last_seen_at = ?1 "
                                       "WHERE id = ?2 AND project = ?3",
                              true);
    if (!done) return done.error();
    return Ok{};
  }

  Status TouchSession(std::string_view id) override {
    auto done = UpdateSession(
        id, "UPDATE sessions SET last_seen_at = ?1 WHERE id = ?2 AND project = ?3", false);
    if (!done) return done.error();
    return Ok{};
  }

  Result<Session> ToggleYolo(std::string_view id) override {
    return UpdateSession(id,
                         "UPDATE sessions SET yolo_mode = 1 - yolo_mode, last_seen_at = ?1 "
                         "WHERE id = ?2 AND project = ?3",
                         true);
  }

  Status MarkAllSessionsInactive() override {
    auto tx = sql::Transaction::Begin(db_);
    if (!tx) return tx.error();
    auto events = db_.Prepare(
        "INSERT INTO events(type, session_id, annotation_id, at, project) "
        "SELECT 'session.updated', id, '', ?1, ?2 FROM sessions WHERE active = 1 AND project = ?2");
    if (!events) return events.error();
    (*events)->Bind(1, clock_()).Bind(2, project_);
    if (auto ok = (*events)->Run(); !ok) return ok.error();
    auto update = db_.Prepare("UPDATE sessions SET active = 0 WHERE active = 1 AND project = ?1");
    if (!update) return update.error();
    (*update)->Bind(1, project_);
    if (auto ok = (*update)->Run(); !ok) return ok;
    return Commit(*tx);
  }

  // ---- annotations ----------------------------------------------------

  Result<Annotation> CreateAnnotation(std::string_view session_id,
                                      const json::object& payload) override {
    auto created = NewAnnotation(session_id, payload, clock_());
    if (!created) return created.error();
    const Annotation& annotation = *created;

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
    return created;
  }

  Result<Annotation> GetAnnotation(std::string_view id) override {
    // Built once: the pickup path reads an annotation per event.
    static const std::string kSql = std::string("SELECT ") + kAnnotationColumns +
                                    " FROM annotations WHERE id = ?1 AND project = ?2";
    auto stmt = db_.Prepare(kSql);
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, id).Bind(2, project_);
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
    (*stmt)->Bind(2, project_);
    return ReadAnnotations(**stmt);
  }

  Result<std::size_t> ClearSession(std::string_view session_id) override {
    auto tx = sql::Transaction::Begin(db_);
    if (!tx) return tx.error();
    auto events = db_.Prepare(
        "INSERT INTO events(type, session_id, annotation_id, at, project) "
        "SELECT 'annotation.deleted', session_id, id, ?1, ?3 FROM annotations "
        "WHERE project = ?3 AND session_id = ?2 ORDER BY created_at, rowid");
    if (!events) return events.error();
    (*events)->Bind(1, clock_()).Bind(2, session_id).Bind(3, project_);
    if (auto ok = (*events)->Run(); !ok) return ok.error();
    auto del = db_.Prepare("DELETE FROM annotations WHERE project = ?2 AND session_id = ?1");
    if (!del) return del.error();
    (*del)->Bind(1, session_id).Bind(2, project_);
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
    auto exists = AnnotationExists(annotation_id);
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
        "SELECT s.mime_type, s.width, s.height, s.data, s.created_at FROM screenshots s "
        "JOIN annotations a ON a.id = s.annotation_id "
        "WHERE s.annotation_id = ?1 AND s.kind = ?2 AND a.project = ?3");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, annotation_id).Bind(2, ScreenshotKindName(kind)).Bind(3, project_);
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

  // ---- tokens ---------------------------------------------------------

  Status CreateToken(const TokenRecord& token) override {
    // Ids are unique across the file's projects: a token id names one token.
    auto taken = RowExists("SELECT 1 FROM tokens WHERE id = ?1", token.id);
    if (!taken) return taken.error();
    if (*taken) return MakeError(ErrorCode::kInvalidArgument, "a token with that id exists");
    auto stmt = db_.Prepare(
        "INSERT INTO tokens (id, name, role, secret_hash, created_at, expires_at, revoked_at, "
        "project) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!stmt) return stmt.error();
    (*stmt)
        ->Bind(1, token.id)
        .Bind(2, token.name)
        .Bind(3, TokenRoleName(token.role))
        .Bind(4, token.secret_hash)
        .Bind(5, static_cast<std::int64_t>(token.created_at));
    BindOptionalMillis(**stmt, 6, token.expires_at);
    BindOptionalMillis(**stmt, 7, token.revoked_at);
    (*stmt)->Bind(8, project_);
    return (*stmt)->Run();
  }

  Result<std::optional<TokenRecord>> FindToken(std::string_view id) override {
    // A token belongs to its project: another project's is unknown here.
    auto found = ReadTokens(kTokenColumns + std::string(" WHERE id = ?1 AND project = ?2"), id);
    if (!found) return found.error();
    if (found->empty()) return std::optional<TokenRecord>{};
    return std::optional<TokenRecord>{std::move(found->front())};
  }

  Result<std::vector<TokenRecord>> ListTokens() override {
    return ReadTokens(kTokenColumns + std::string(" WHERE project = ?2 ORDER BY created_at, rowid"),
                      std::nullopt);
  }

  Result<std::size_t> RevokeTokens(std::string_view id_or_name) override {
    auto stmt = db_.Prepare(
        "UPDATE tokens SET revoked_at = ?1 WHERE (id = ?2 OR name = ?2) AND revoked_at IS NULL "
        "AND project = ?3");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, static_cast<std::int64_t>(clock_())).Bind(2, id_or_name).Bind(3, project_);
    if (auto ok = (*stmt)->Run(); !ok) return ok.error();
    return static_cast<std::size_t>(db_.Changes());
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
    auto stmt = db_.Prepare("SELECT value FROM meta WHERE key = ?1");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, HeartbeatKey());
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    std::optional<Millis> at;
    if (*row) at = std::stoll((*stmt)->Text(0));
    (*stmt)->Reset();
    return at;
  }

  // ---- change feed ----------------------------------------------------

  Result<std::int64_t> LatestSequence() override {
    auto stmt = db_.Prepare("SELECT COALESCE(MAX(seq), 0) FROM events WHERE project = ?1");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, project_);
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    std::int64_t seq = (*stmt)->Int(0);
    (*stmt)->Reset();
    return seq;
  }

  Result<std::vector<Event>> EventsSince(std::int64_t after, std::size_t limit) override {
    auto stmt = db_.Prepare(
        "SELECT seq, type, session_id, annotation_id, at FROM events "
        "WHERE project = ?3 AND seq > ?1 ORDER BY seq LIMIT ?2");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, after).Bind(2, static_cast<std::int64_t>(limit)).Bind(3, project_);
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
          "INSERT INTO sessions(id, created_at, last_seen_at, active, url, yolo_mode, project) "
          "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET "
          "created_at = ?2, last_seen_at = ?3, active = ?4, url = ?5, yolo_mode = ?6 "
          "WHERE project = ?7");
      if (!stmt) return stmt.error();
      (*stmt)
          ->Bind(1, session.id)
          .Bind(2, session.created_at)
          .Bind(3, session.last_seen_at)
          .Bind(4, std::int64_t{session.active})
          .Bind(5, session.url)
          .Bind(6, std::int64_t{session.yolo_mode})
          .Bind(7, project_);
      if (auto ok = (*stmt)->Run(); !ok) return ok;
      if (db_.Changes() == 0) return InAnotherProject("session", session.id);
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
  // The meta key of this project's agent heartbeat.
  std::string HeartbeatKey() const { return "lastAgentHeartbeat:" + project_; }

  // An import naming a row that another project of this store holds.
  static Error InAnotherProject(std::string_view what, std::string_view id) {
    return MakeError(ErrorCode::kForbidden, std::string(what) + " " + std::string(id) +
                                                " belongs to another project in this store; "
                                                "import it with that --project");
  }

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
      (*stmt)->Bind(1, clock_()).Bind(2, id).Bind(3, project_);
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
    return RowExists("SELECT 1 FROM sessions WHERE id = ?1 AND project = ?2", id);
  }

  // How many annotations a session holds (schema 3's trigger-kept count);
  // nullopt when there is no such session.
  Result<std::optional<std::int64_t>> AnnotationsHeld(std::string_view session_id) {
    return FirstInt("SELECT annotation_count FROM sessions WHERE id = ?1 AND project = ?2",
                    session_id);
  }

  Result<bool> AnnotationExists(std::string_view id) {
    return RowExists("SELECT 1 FROM annotations WHERE id = ?1 AND project = ?2", id);
  }

  // Commits, then wakes every watcher of the store (in any process). Inside
  // a batch this only releases the change's savepoint: CommitBatch wakes them.
  Status Commit(sql::Transaction& tx) {
    auto done = tx.Commit();
    if (done && !batch_open_) signal_.Notify();
    return done;
  }

  // Whether `sql`, given one id (?1) and the project (?2), returns a row.
  Result<bool> RowExists(const char* sql, std::string_view id) {
    auto stmt = db_.Prepare(sql);
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, id).Bind(2, project_);
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    (*stmt)->Reset();
    return *row;
  }

  static constexpr const char* kTokenColumns =
      "SELECT id, name, role, secret_hash, created_at, expires_at, revoked_at FROM tokens";

  static void BindOptionalMillis(sql::Statement& stmt, int index, std::optional<Millis> at) {
    if (at) {
      stmt.Bind(index, static_cast<std::int64_t>(*at));
    } else {
      stmt.BindNull(index);
    }
  }

  Result<std::vector<TokenRecord>> ReadTokens(const std::string& sql,
                                              std::optional<std::string_view> id) {
    auto stmt = db_.Prepare(sql);
    if (!stmt) return stmt.error();
    if (id) (*stmt)->Bind(1, *id);
    (*stmt)->Bind(2, project_);
    std::vector<TokenRecord> tokens;
    for (;;) {
      auto row = (*stmt)->Step();
      if (!row) return row.error();
      if (!*row) break;
      sql::Statement& r = **stmt;
      TokenRecord token;
      token.id = r.Text(0);
      token.name = r.Text(1);
      // A role written by a newer binary grants nothing it does not know.
      auto role = ParseTokenRole(r.Text(2));
      if (!role) continue;
      token.role = *role;
      token.secret_hash = r.Text(3);
      token.created_at = r.Int(4);
      if (!r.IsNull(5)) token.expires_at = r.Int(5);
      if (!r.IsNull(6)) token.revoked_at = r.Int(6);
      tokens.push_back(std::move(token));
    }
    (*stmt)->Reset();
    return tokens;
  }

  Status WriteHeartbeat(Millis at) {
    auto stmt = db_.Prepare(
        "INSERT INTO meta(key, value) VALUES(?1, ?2) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, HeartbeatKey()).Bind(2, std::to_string(at));
    return (*stmt)->Run();
  }

  Status AppendEvent(EventType type, std::string_view session_id, std::string_view annotation_id) {
    auto stmt = db_.Prepare(
        "INSERT INTO events(type, session_id, annotation_id, at, project) "
        "VALUES(?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    (*stmt)
        ->Bind(1, std::string_view(EventTypeName(type)))
        .Bind(2, session_id)
        .Bind(3, annotation_id)
        .Bind(4, clock_())
        .Bind(5, project_);
    return (*stmt)->Run();
  }

  // Inserts or overwrites an annotation row and replaces its replies.
  // The WHERE clause of a filter; parameters ?1 session, ?2 status, ?3/?4 cursor.
  static std::string FilterWhere(const AnnotationFilter& filter) {
    return AnnotationFilterWhere(filter.session_id.has_value(), filter.status.has_value(),
                                 filter.after.has_value());
  }

  void BindFilter(sql::Statement& stmt, const AnnotationFilter& filter) const {
    if (filter.session_id) stmt.Bind(1, *filter.session_id);
    if (filter.status) stmt.Bind(2, std::string_view(StatusName(*filter.status)));
    if (filter.after) stmt.Bind(3, filter.after->created_at).Bind(4, filter.after->id);
    stmt.Bind(5, project_);
  }

  // The one integer a `SELECT COUNT(*) ... WHERE x = ?` query returns.
  // The first column of the first row of `sql` bound to `key` (?1) and the
  // project (?2); nullopt for no row.
  Result<std::optional<std::int64_t>> FirstInt(const char* sql, std::string_view key) {
    auto stmt = db_.Prepare(sql);
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, key).Bind(2, project_);
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
        "diff_response, project, author_name, status_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9, ?10, ?11) "
        "ON CONFLICT(id) DO UPDATE SET "
        "session_id = ?2, created_at = ?3, updated_at = ?4, status = ?5, request = ?6, "
        "diff = ?7, diff_response = ?8, author_name = ?10, status_by = ?11 WHERE project = ?9");
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
        .Bind(8, response)
        .Bind(9, project_)
        .Bind(10, a.author_name)
        .Bind(11, a.status_by);
    if (auto ok = (*stmt)->Run(); !ok) return ok;
    if (db_.Changes() == 0) return InAnotherProject("annotation", a.id);
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
        "INSERT INTO replies(id, annotation_id, created_at, author, message, author_name) "
        "VALUES(?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    (*stmt)
        ->Bind(1, reply.id)
        .Bind(2, annotation_id)
        .Bind(3, reply.created_at)
        .Bind(4, std::string_view(AuthorName(reply.author)))
        .Bind(5, reply.message)
        .Bind(6, reply.author_name);
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
      a.author_name = stmt.OptionalText(9);
      a.status_by = stmt.OptionalText(10);
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
        "SELECT id, created_at, author, message, author_name FROM replies WHERE annotation_id = ? "
        "ORDER BY created_at, rowid");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, a.id);
    while (true) {
      auto row = (*stmt)->Step();
      if (!row) return row.error();
      if (!*row) break;
      a.replies.push_back(Reply{(*stmt)->Text(0), (*stmt)->Int(1),
                                (*stmt)->Text(2) == "agent" ? Author::kAgent : Author::kUser,
                                (*stmt)->Text(3), (*stmt)->OptionalText(4)});
    }
    (*stmt)->Reset();
    return Ok{};
  }

  // The compare-and-set at the heart of every status change.
  Result<Annotation> ApplyStatusChange(const StatusChange& change) override {
    {
      auto tx = sql::Transaction::Begin(db_);
      if (!tx) return tx.error();
      auto current = db_.Prepare(
          "SELECT session_id, status, diff_response FROM annotations "
          "WHERE id = ?1 AND project = ?2");
      if (!current) return current.error();
      (*current)->Bind(1, change.id).Bind(2, project_);
      auto row = (*current)->Step();
      if (!row) return row.error();
      if (!*row) return NotFound("annotation", change.id);
      ChangeTarget target{(*current)->Text(0),
                          ParseStatus((*current)->Text(1)).value_or(AnnotationStatus::kPending),
                          !(*current)->IsNull(2)};
      std::string session_id = target.session_id;
      (*current)->Reset();
      if (auto ok = CheckStatusChange(change, target); !ok) return ok.error();

      if (change.reply_capped) {
        auto replies = CountRows(
            "SELECT COUNT(*) FROM replies r JOIN annotations a ON a.id = r.annotation_id "
            "WHERE r.annotation_id = ?1 AND a.project = ?2",
            change.id);
        if (!replies) return replies.error();
        if (auto ok = CheckReplyRoom(change, static_cast<std::size_t>(*replies)); !ok) {
          return ok.error();
        }
      }

      Millis now = clock_();
      auto update = db_.Prepare(
          "UPDATE annotations SET updated_at = ?1, status = COALESCE(?2, status), "
          "diff = CASE WHEN ?3 IS NULL THEN diff ELSE ?3 END, "
          "diff_response = CASE WHEN ?3 IS NOT NULL THEN NULL "
          "WHEN ?4 IS NOT NULL THEN ?4 ELSE diff_response END, "
          "last_reply_author = COALESCE(?6, last_reply_author), "
          "status_by = CASE WHEN ?2 IS NULL THEN status_by ELSE ?7 END WHERE id = ?5");
      if (!update) return update.error();
      (*update)->Bind(1, now);
      if (change.to) (*update)->Bind(2, std::string_view(StatusName(*change.to)));
      if (change.diff) (*update)->Bind(3, *change.diff);
      if (change.diff_response) {
        (*update)->Bind(4, std::string_view(DiffResponseName(*change.diff_response)));
      }
      (*update)->Bind(5, change.id);
      if (change.adds_reply()) {
        (*update)->Bind(6, std::string_view(AuthorName(*change.reply_author)));
      }
      // Who changed the status (team mode); NULL without an actor.
      (*update)->Bind(7, ActorOrNull());
      if (auto ok = (*update)->Run(); !ok) return ok.error();
      if (change.adds_reply()) {
        Reply reply{NewUuidV4(), now, *change.reply_author, std::string(*change.reply_message),
                    ActorOrNull()};
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
  std::string project_;
  Clock clock_;
  ChangeSignal signal_;
  // After db_: destroyed (its thread joined) before the writer connection closes.
  std::unique_ptr<Checkpointer> checkpointer_;
  bool batch_open_ = false;
};

// The name of the directory the store belongs to: for <root>/.ng-annotate/
// store.db the root's, else the file's own directory's; `default` when it has
// none (the file system's root).
std::string DirectoryProjectName(const std::filesystem::path& db_file) {
  std::error_code ec;
  auto dir = std::filesystem::absolute(db_file, ec).parent_path();
  if (dir.filename() == ".ng-annotate") dir = dir.parent_path();
  std::string name = dir.filename().string();
  return name.empty() ? "default" : name;
}

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
  if (auto ok = Migrate(*db, DirectoryProjectName(db_file)); !ok) return ok.error();
  std::string project = std::move(options.project);
  if (project.empty()) {
    auto recorded = DefaultProject(*db);
    if (!recorded) return recorded.error();
    project = std::move(*recorded);
  }
  auto signal = ChangeSignal::Open(db_file);
  if (!signal) return signal.error();
  std::unique_ptr<Checkpointer> checkpointer;
  if (options.background_checkpoint) {
    auto started = Checkpointer::Start(db_file.string());
    if (!started) return started.error();
    checkpointer = std::move(*started);
    checkpointer->Attach(db->raw());
  }
  return std::unique_ptr<Store>(new SqliteStore(std::move(*db), db_file, std::move(project),
                                                std::move(options.clock), std::move(*signal),
                                                std::move(checkpointer)));
}

}  // namespace nga
