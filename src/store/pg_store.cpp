// Store on PostgreSQL (see pg_store.h for the guarantees and why).
#include "store/pg_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <string>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "store/pg.h"
#include "store/pg_schema.h"
#include "store/status_change.h"
#include "store/validate.h"
#include "util/base64.h"
#include "util/uuid.h"

namespace nga {

namespace json = boost::json;

namespace {

using pg::Params;

std::optional<EventType> ParseEventType(std::string_view name) {
  for (auto type :
       {EventType::kSessionCreated, EventType::kSessionUpdated, EventType::kAnnotationCreated,
        EventType::kAnnotationUpdated, EventType::kAnnotationDeleted}) {
    if (name == EventTypeName(type)) return type;
  }
  return std::nullopt;
}

std::string Num(std::int64_t value) { return std::to_string(value); }

Error NotFound(std::string_view what, std::string_view id) { return NotFoundError(what, id); }

constexpr const char* kAnnotationColumns =
    "id, session_id, created_at, updated_at, status, request, diff, diff_response, "
    "last_reply_author, author_name, status_by";
// Exactly the condition of the partial indexes nga_annotations_waiting*.
constexpr const char* kWaitingCondition =
    "(status = 'pending' OR "
    "(status IN ('acknowledged', 'diff_proposed') AND last_reply_author = 'user'))";
constexpr const char* kSessionColumns = "id, created_at, last_seen_at, active, url, yolo_mode";

// Appends one event, numbered from the project's counter (locked by the
// transaction, see LockStatement). $1 project, $2 type, $3 session, $4
// annotation, $5 time.
constexpr const char* kAppendEvent =
    "WITH s AS (UPDATE nga_projects SET last_seq = last_seq + 1 WHERE name = $1 "
    "RETURNING last_seq) "
    "INSERT INTO nga_events(project, seq, type, session_id, annotation_id, at) "
    "SELECT $1, s.last_seq, $2, $3, $4, $5::bigint FROM s";

// A SQL text with numbered parameters, built as it goes.
struct SqlBuilder {
  std::string sql;
  Params params;
  std::string Param(std::optional<std::string> value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  }
};

class PostgresStore final : public StatusChangeStore {
 public:
  PostgresStore(pg::Connection conn, std::string url, std::string project, Clock clock)
      : conn_(std::move(conn)),
        url_(std::move(url)),
        project_(std::move(project)),
        path_(RedactUrl(url_) + " (project " + project_ + ")"),
        clock_(std::move(clock)),
        instance_(NewUuidV4()) {}

  const std::filesystem::path& path() const override { return path_; }
  const std::string& postgres_url() const override { return url_; }
  const std::string& project() const override { return project_; }

  // ---- sessions -------------------------------------------------------

  Result<Session> CreateSession(std::string_view url) override {
    if (url.size() > limits::kShortFieldChars) {
      return MakeError(ErrorCode::kLimitExceeded, "session url is too long");
    }
    Session session;
    session.id = NewUuidV4();
    session.created_at = session.last_seen_at = clock_();
    session.active = true;
    session.url = url;
    auto tx = Begin();
    if (!tx) return tx.error();
    auto done = Query(
        "INSERT INTO nga_sessions(project, id, created_at, last_seen_at, active, url, yolo_mode, "
        "owner_instance) VALUES($1, $2, $3, $4, 1, $5, 0, $6)",
        {project_, session.id, Num(session.created_at), Num(session.last_seen_at), session.url,
         instance_});
    if (!done) return done.error();
    if (auto ok = AppendEvent(EventType::kSessionCreated, session.id, ""); !ok) return ok.error();
    if (auto ok = Commit(*tx); !ok) return ok.error();
    return session;
  }

  Result<Session> ActivateSession(std::string_view id) override {
    return UpdateSession(id, "active = 1, last_seen_at = $3, owner_instance = $4", true);
  }

  Result<Session> GetSession(std::string_view id) override {
    auto rows = Query((std::string("SELECT ") + kSessionColumns +
                       " FROM nga_sessions WHERE project = $1 AND id = $2")
                          .c_str(),
                      {project_, std::string(id)});
    if (!rows) return rows.error();
    if (rows->empty()) return NotFound("session", id);
    return ReadSession(*rows, 0);
  }

  Result<std::vector<Session>> ListSessions() override {
    auto rows = Query((std::string("SELECT ") + kSessionColumns +
                       " FROM nga_sessions WHERE project = $1 ORDER BY created_at, ord")
                          .c_str(),
                      {project_});
    if (!rows) return rows.error();
    std::vector<Session> sessions;
    for (int i = 0; i < rows->size(); ++i) sessions.push_back(ReadSession(*rows, i));
    return sessions;
  }

  Status SetSessionActive(std::string_view id, bool active) override {
    auto done = UpdateSession(
        id, active ? "active = 1, last_seen_at = $3" : "active = 0, last_seen_at = $3", true);
    if (!done) return done.error();
    return Ok{};
  }

  Status TouchSession(std::string_view id) override {
    // One statement, no event: needs neither the project lock nor a transaction.
    auto rows = Query("UPDATE nga_sessions SET last_seen_at = $3 WHERE project = $1 AND id = $2",
                      {project_, std::string(id), Num(clock_())});
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return NotFound("session", id);
    return Ok{};
  }

  Result<Session> ToggleYolo(std::string_view id) override {
    return UpdateSession(id, "yolo_mode = 1 - yolo_mode, last_seen_at = $3", true);
  }

  Status MarkAllSessionsInactive() override {
    if (auto ok = WriteLease(); !ok) return ok;
    return DeactivateSessions("(owner_instance IS NULL OR owner_instance = $3 OR " +
                              std::string(kDeadOwner) + ")");
  }

  Status RenewInstanceLease() override {
    if (auto ok = WriteLease(); !ok) return ok;
    // Most renewals find nothing to do: look before taking the project lock.
    auto orphans =
        Query((std::string("SELECT 1 FROM nga_sessions WHERE project = $1 AND active = 1 AND "
                           "owner_instance IS NOT NULL AND owner_instance <> $3 AND ") +
               kDeadOwner + " LIMIT 1")
                  .c_str(),
              {project_, Num(clock_() - kInstanceLease), instance_});
    if (!orphans) return orphans.error();
    if (orphans->empty()) return Ok{};
    return DeactivateSessions("(owner_instance <> $3 AND " + std::string(kDeadOwner) + ")");
  }

  // ---- annotations ----------------------------------------------------

  Result<Annotation> CreateAnnotation(std::string_view session_id,
                                      const json::object& payload) override {
    auto created = NewAnnotation(session_id, payload, clock_());
    if (!created) return created.error();
    const Annotation& annotation = *created;

    // Outside a batch: a transaction of its own, in three round trips
    // (BEGIN and the lock; the check; the insert, NOTIFY and COMMIT).
    std::optional<pg::Transaction> tx;
    if (!batch_open_) {
      auto begun = Begin();
      if (!begun) return begun.error();
      tx.emplace(std::move(*begun));
    }
    auto count = SessionCount(session_id);
    if (!count) return count.error();
    if (*count >= limits::kAnnotationsPerSession) {
      return MakeError(ErrorCode::kLimitExceeded,
                       "this session already holds " + std::to_string(*count) +
                           " annotations, the limit; clear them (annotations:clear) or open the "
                           "app in a new tab for a new session");
    }
    // Written with the batch's next statement (see Settle): checked
    // now, under the project lock no other writer can pass, so the insert
    // cannot fail on its own; only the whole transaction can, and then every
    // change of it is reported failed.
    ++session_counts_[annotation.session_id];
    deferred_creates_.push_back(annotation);
    if (tx) {
      auto flushed = CreatesStatement();
      deferred_creates_.clear();
      session_counts_.clear();
      if (auto ok = tx->Commit({std::move(flushed), NotifyStatement()}); !ok) return ok.error();
    }
    return created;
  }

  Result<Annotation> GetAnnotation(std::string_view id) override {
    auto list = ReadAnnotations((std::string("SELECT ") + kAnnotationColumns +
                                 " FROM nga_annotations WHERE project = $1 AND id = $2")
                                    .c_str(),
                                {project_, std::string(id)});
    if (!list) return list.error();
    if (list->empty()) return NotFound("annotation", id);
    return std::move(list->front());
  }

  Result<std::vector<Annotation>> ListAnnotations(const AnnotationFilter& filter) override {
    SqlBuilder q;
    q.sql = std::string("SELECT ") + kAnnotationColumns + " FROM nga_annotations" +
            FilterWhere(q, filter) + " ORDER BY created_at, ord";
    if (filter.limit > 0) q.sql += " LIMIT " + std::to_string(filter.limit);
    return ReadAnnotations(q.sql.c_str(), q.params);
  }

  Result<std::size_t> CountAnnotations(const AnnotationFilter& filter) override {
    SqlBuilder q;
    q.sql = "SELECT COUNT(*) FROM nga_annotations" + FilterWhere(q, filter);
    auto rows = Query(q.sql.c_str(), q.params);
    if (!rows) return rows.error();
    return static_cast<std::size_t>(rows->Int(0, 0));
  }

  Result<std::vector<Annotation>> ListWaitingWork(std::optional<std::string_view> session_id,
                                                  std::size_t limit) override {
    SqlBuilder q;
    q.sql = std::string("SELECT ") + kAnnotationColumns +
            " FROM nga_annotations WHERE project = " + q.Param(project_) + " AND " +
            kWaitingCondition;
    if (session_id) q.sql += " AND session_id = " + q.Param(std::string(*session_id));
    q.sql += " ORDER BY created_at, ord";
    if (limit > 0) q.sql += " LIMIT " + std::to_string(limit);
    return ReadAnnotations(q.sql.c_str(), q.params);
  }

  Result<std::size_t> ClearSession(std::string_view session_id) override {
    auto tx = Begin();
    if (!tx) return tx.error();
    auto events = AppendEventsFor(
        "SELECT session_id, id AS annotation_id, created_at, ord FROM nga_annotations "
        "WHERE project = $1 AND session_id = $3",
        EventType::kAnnotationDeleted, std::string(session_id));
    if (!events) return events.error();
    auto del = Query("DELETE FROM nga_annotations WHERE project = $1 AND session_id = $2",
                     {project_, std::string(session_id)});
    if (!del) return del.error();
    std::size_t removed = static_cast<std::size_t>(del->Affected());
    if (auto ok = Commit(*tx); !ok) return ok.error();
    return removed;
  }

  // ---- screenshots ----------------------------------------------------

  // Parameters travel as text (pg.h), so the image goes as base64 and
  // PostgreSQL keeps the bytes (BYTEA); its base64 output breaks lines every
  // 76 characters, which translate() takes out before Base64Decode.
  Status PutScreenshot(std::string_view annotation_id, const Screenshot& shot) override {
    auto tx = Begin();
    if (!tx) return tx.error();
    auto exists = Query("SELECT 1 FROM nga_annotations WHERE project = $1 AND id = $2",
                        {project_, std::string(annotation_id)});
    if (!exists) return exists.error();
    if (exists->empty()) return NotFound("annotation", annotation_id);
    auto put = Query(
        "INSERT INTO nga_screenshots "
        "(project, annotation_id, kind, mime_type, width, height, data, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, decode($7, 'base64'), $8) "
        "ON CONFLICT (project, annotation_id, kind) DO UPDATE SET mime_type = EXCLUDED.mime_type, "
        "width = EXCLUDED.width, height = EXCLUDED.height, data = EXCLUDED.data, "
        "created_at = EXCLUDED.created_at",
        {project_, std::string(annotation_id), std::string(ScreenshotKindName(shot.kind)),
         shot.mime_type, std::to_string(shot.width), std::to_string(shot.height),
         Base64Encode(shot.bytes), std::to_string(clock_())});
    if (!put) return put.error();
    return Commit(*tx);
  }

  Result<std::optional<Screenshot>> GetScreenshot(std::string_view annotation_id,
                                                  ScreenshotKind kind) override {
    auto rows = Query(
        "SELECT mime_type, width, height, translate(encode(data, 'base64'), E'\\n', ''), "
        "created_at FROM nga_screenshots WHERE project = $1 AND annotation_id = $2 AND kind = $3",
        {project_, std::string(annotation_id), std::string(ScreenshotKindName(kind))});
    if (!rows) return rows.error();
    std::optional<Screenshot> shot;
    if (rows->empty()) return shot;
    auto bytes = Base64Decode(rows->Text(0, 3));
    if (!bytes) return Error{ErrorCode::kStorage, "a stored screenshot is not valid base64"};
    shot.emplace();
    shot->kind = kind;
    shot->mime_type = rows->Text(0, 0);
    shot->width = static_cast<int>(rows->Int(0, 1));
    shot->height = static_cast<int>(rows->Int(0, 2));
    shot->bytes = std::move(*bytes);
    shot->created_at = rows->Int(0, 4);
    return shot;
  }

  // ---- tokens ---------------------------------------------------------

  Status CreateToken(const TokenRecord& token) override {
    auto rows = conn_.Query(
        "INSERT INTO nga_tokens "
        "(project, id, name, role, secret_hash, created_at, expires_at, revoked_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id",
        {project_, token.id, token.name, std::string(TokenRoleName(token.role)), token.secret_hash,
         Num(token.created_at), OptionalNum(token.expires_at), OptionalNum(token.revoked_at)});
    if (!rows) return rows.error();
    if (rows->empty()) return MakeError(ErrorCode::kInvalidArgument, "a token with that id exists");
    return Ok{};
  }

  Result<std::optional<TokenRecord>> FindToken(std::string_view id) override {
    auto rows = conn_.Query(
        "SELECT id, name, role, secret_hash, created_at, expires_at, revoked_at FROM nga_tokens "
        "WHERE project = $1 AND id = $2",
        {project_, std::string(id)});
    if (!rows) return rows.error();
    auto tokens = ReadTokens(*rows);
    if (tokens.empty()) return std::optional<TokenRecord>{};
    return std::optional<TokenRecord>{std::move(tokens.front())};
  }

  Result<std::vector<TokenRecord>> ListTokens() override {
    auto rows = conn_.Query(
        "SELECT id, name, role, secret_hash, created_at, expires_at, revoked_at FROM nga_tokens "
        "WHERE project = $1 ORDER BY created_at, ord",
        {project_});
    if (!rows) return rows.error();
    return ReadTokens(*rows);
  }

  Result<std::size_t> RevokeTokens(std::string_view id_or_name) override {
    auto rows = conn_.Query(
        "UPDATE nga_tokens SET revoked_at = $3 WHERE project = $1 AND (id = $2 OR name = $2) "
        "AND revoked_at IS NULL RETURNING id",
        {project_, std::string(id_or_name), Num(clock_())});
    if (!rows) return rows.error();
    return static_cast<std::size_t>(rows->size());
  }

  static std::optional<std::string> OptionalNum(std::optional<Millis> at) {
    if (!at) return std::nullopt;
    return Num(*at);
  }

  static std::vector<TokenRecord> ReadTokens(const pg::Rows& rows) {
    std::vector<TokenRecord> tokens;
    for (int i = 0; i < rows.size(); ++i) {
      // A role written by a newer binary grants nothing it does not know.
      auto role = ParseTokenRole(rows.Text(i, 2));
      if (!role) continue;
      TokenRecord token;
      token.id = rows.Text(i, 0);
      token.name = rows.Text(i, 1);
      token.role = *role;
      token.secret_hash = rows.Text(i, 3);
      token.created_at = rows.Int(i, 4);
      if (!rows.IsNull(i, 5)) token.expires_at = rows.Int(i, 5);
      if (!rows.IsNull(i, 6)) token.revoked_at = rows.Int(i, 6);
      tokens.push_back(std::move(token));
    }
    return tokens;
  }

  // ---- preview builds -------------------------------------------------

  // The ids travel as one JSON parameter, unpacked by the server: one round
  // trip for a manifest of any size.
  Status PutBuildManifest(const BuildManifest& manifest) override {
    boost::json::object ids;
    for (const auto& [id, location] : manifest.sources) ids[id] = location;
    auto tx = Begin();
    if (!tx) return tx.error();
    auto cleared = conn_.Query("DELETE FROM nga_build_sources WHERE project = $1 AND build_id = $2",
                               {project_, manifest.build});
    if (!cleared) return cleared.error();
    auto put = conn_.Query(
        "INSERT INTO nga_build_sources (project, build_id, source_id, location) "
        "SELECT $1, $2, key, value FROM jsonb_each_text($3::jsonb)",
        {project_, manifest.build, boost::json::serialize(ids)});
    if (!put) return put.error();
    return Commit(*tx);
  }

  Result<std::optional<std::string>> FindBuildSource(std::string_view build_id,
                                                     std::string_view source_id) override {
    auto rows = conn_.Query(
        "SELECT location FROM nga_build_sources WHERE project = $1 AND build_id = $2 AND "
        "source_id = $3",
        {project_, std::string(build_id), std::string(source_id)});
    if (!rows) return rows.error();
    std::optional<std::string> location;
    if (!rows->empty()) location = rows->Text(0, 0);
    return location;
  }

  // ---- heartbeat ------------------------------------------------------

  Status RecordAgentHeartbeat() override { return WriteHeartbeat(clock_()); }

  Result<std::optional<Millis>> LastAgentHeartbeat() override {
    auto rows = Query("SELECT last_agent_heartbeat FROM nga_projects WHERE name = $1", {project_});
    if (!rows) return rows.error();
    std::optional<Millis> at;
    if (!rows->empty() && !rows->IsNull(0, 0)) at = rows->Int(0, 0);
    return at;
  }

  // ---- change feed ----------------------------------------------------

  Result<std::int64_t> LatestSequence() override {
    auto rows = Query("SELECT last_seq FROM nga_projects WHERE name = $1", {project_});
    if (!rows) return rows.error();
    return rows->empty() ? 0 : rows->Int(0, 0);
  }

  Result<std::vector<Event>> EventsSince(std::int64_t after, std::size_t limit) override {
    auto rows = Query(
        "SELECT seq, type, session_id, annotation_id, at FROM nga_events "
        "WHERE project = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        {project_, Num(after), Num(static_cast<std::int64_t>(limit))});
    if (!rows) return rows.error();
    std::vector<Event> events;
    for (int i = 0; i < rows->size(); ++i) {
      auto type = ParseEventType(rows->Text(i, 1));
      if (!type) continue;  // written by a newer binary: not ours to interpret
      events.push_back(
          Event{rows->Int(i, 0), *type, rows->Text(i, 2), rows->Text(i, 3), rows->Int(i, 4)});
    }
    return events;
  }

  // ---- group commit ---------------------------------------------------

  Status BeginBatch() override {
    if (batch_open_) return MakeError(ErrorCode::kStorage, "store: a batch is already open");
    // BEGIN and the project lock in one round trip.
    auto begun = conn_.Pipeline({{"BEGIN", {}}, LockStatement()});
    if (!begun || begun->back().empty()) {
      (void)conn_.Exec("ROLLBACK");
      if (!begun) return begun.error();
      return MissingProject();
    }
    batch_open_ = true;
    batch_failed_.reset();
    return Ok{};
  }

  Status CommitBatch() override {
    if (!batch_open_) return Ok{};
    batch_open_ = false;
    session_counts_.clear();
    if (batch_failed_) {
      deferred_creates_.clear();
      (void)conn_.Exec("ROLLBACK");
      return *std::exchange(batch_failed_, std::nullopt);
    }
    // The batch's creates, NOTIFY and COMMIT in one round trip.
    std::vector<pg::Statement> last;
    if (!deferred_creates_.empty()) last.push_back(CreatesStatement());
    deferred_creates_.clear();
    last.push_back(NotifyStatement());
    last.push_back({"COMMIT", {}});
    auto done = conn_.Pipeline(last);
    if (done) return Ok{};
    (void)conn_.Exec("ROLLBACK");
    return done.error();
  }

  void AbortBatch() override {
    if (!batch_open_) return;
    batch_open_ = false;
    deferred_creates_.clear();
    session_counts_.clear();
    batch_failed_.reset();
    (void)conn_.Exec("ROLLBACK");
  }

  bool in_batch() const override { return batch_open_; }

  // ---- bulk -----------------------------------------------------------

  Status Import(const std::vector<Session>& sessions, const std::vector<Annotation>& annotations,
                std::optional<Millis> last_agent_heartbeat) override {
    auto tx = Begin();
    if (!tx) return tx.error();
    for (const auto& session : sessions) {
      auto done = Query(
          "INSERT INTO nga_sessions(project, id, created_at, last_seen_at, active, url, yolo_mode) "
          "VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(project, id) DO UPDATE SET "
          "created_at = $3, last_seen_at = $4, active = $5, url = $6, yolo_mode = $7",
          {project_, session.id, Num(session.created_at), Num(session.last_seen_at),
           Num(session.active), session.url, Num(session.yolo_mode)});
      if (!done) return done.error();
      if (auto ok = AppendEvent(EventType::kSessionUpdated, session.id, ""); !ok) return ok;
    }
    for (const auto& annotation : annotations) {
      auto exists = Query("SELECT 1 FROM nga_sessions WHERE project = $1 AND id = $2",
                          {project_, annotation.session_id});
      if (!exists) return exists.error();
      if (exists->empty()) {
        return MakeError(ErrorCode::kNotFound, "annotation " + annotation.id + " names session " +
                                                   annotation.session_id +
                                                   ", which is neither stored nor imported");
      }
      auto existed = Query("SELECT 1 FROM nga_annotations WHERE project = $1 AND id = $2",
                           {project_, annotation.id});
      if (!existed) return existed.error();
      if (auto ok = InsertAnnotation(annotation); !ok) return ok;
      auto type = existed->empty() ? EventType::kAnnotationCreated : EventType::kAnnotationUpdated;
      if (auto ok = AppendEvent(type, annotation.session_id, annotation.id); !ok) return ok;
    }
    if (last_agent_heartbeat) {
      if (auto ok = WriteHeartbeat(*last_agent_heartbeat); !ok) return ok;
    }
    return Commit(*tx);
  }

  // PostgreSQL checks its own pages; what the store can check is its own
  // invariant: every annotation's session exists (a foreign key, so this
  // also proves the connection works).
  Result<std::string> IntegrityCheck() override {
    auto rows = Query(
        "SELECT COUNT(*) FROM nga_annotations a WHERE a.project = $1 AND NOT EXISTS "
        "(SELECT 1 FROM nga_sessions s WHERE s.project = a.project AND s.id = a.session_id)",
        {project_});
    if (!rows) return rows.error();
    std::int64_t orphans = rows->Int(0, 0);
    if (orphans == 0) return std::string("ok");
    return std::to_string(orphans) + " annotations name a missing session";
  }

 private:
  // Begins a change: a transaction that holds the project's lock, or, inside
  // a batch (which already holds it), a savepoint.
  Result<pg::Transaction> Begin() {
    // A change other than a create may change what sessions hold.
    session_counts_.clear();
    if (batch_open_) {
      if (auto ok = Settle(); !ok) return ok.error();
      return pg::Transaction::Begin(conn_, /*nested=*/true);
    }
    std::optional<pg::Rows> locked;
    pg::Statement lock = LockStatement();
    auto tx = pg::Transaction::Begin(conn_, /*nested=*/false, &lock, &locked);
    if (!tx) return tx.error();
    if (!locked || locked->empty()) return MissingProject();
    return tx;
  }

  // Serializes this project's writers (see pg_store.h), first thing in each
  // transaction, so that no two writers ever wait on each other in a cycle.
  pg::Statement LockStatement() const {
    return {"SELECT 1 FROM nga_projects WHERE name = $1 FOR UPDATE", {project_}};
  }

  Error MissingProject() const {
    return MakeError(ErrorCode::kStorage, "store: project " + project_ +
                                              " is missing from the database; run `ng-annotate "
                                              "migrate --store URL` and start again");
  }

  // NOTIFY <project channel>, '<latest seq>': delivered to every listener
  // when (and only if) the transaction commits.
  pg::Statement NotifyStatement() const {
    return {"SELECT pg_notify($2, last_seq::text) FROM nga_projects WHERE name = $1",
            {project_, ChannelFor(project_)}};
  }

  // Commits a change. Inside a batch this only releases its savepoint; the
  // batch's commit notifies once. Outside, NOTIFY and COMMIT go in one
  // round trip.
  Status Commit(pg::Transaction& tx) {
    if (batch_open_) return tx.Commit();
    return tx.Commit({NotifyStatement()});
  }

  // ---- creates, written with the batch's next statement -----------------
  //
  // A browser's burst of creates is the hot write path. Each create is
  // checked at once (its session exists and has room, under the batch's
  // project lock), and its row and event are written with the next
  // statement on the connection: all of a batch's creates in one multi-row
  // INSERT (CreatesStatement), sent in the commit's round trip. Any other
  // statement first writes the creates made before it (Query, Begin), so
  // events keep the order of the changes and reads see the batch.

  // How many annotations the session holds, batch included; kNotFound for an
  // unknown session. Read once per session and batch.
  Result<std::size_t> SessionCount(std::string_view session_id) {
    std::string id(session_id);
    if (auto known = session_counts_.find(id); known != session_counts_.end()) {
      return known->second;
    }
    if (auto ok = Settle(); !ok) return ok.error();
    // The session's row and its count in one read (the count is an index-only
    // scan of at most kAnnotationsPerSession entries).
    auto held = conn_.Query(
        "SELECT (SELECT COUNT(*) FROM nga_annotations a WHERE a.project = $1 AND "
        "a.session_id = $2) FROM nga_sessions WHERE project = $1 AND id = $2",
        {project_, id});
    if (!held) return FailBatch(held.error());
    if (held->empty()) return NotFound("session", session_id);
    auto count = static_cast<std::size_t>(held->Int(0, 0));
    if (batch_open_) session_counts_[id] = count;
    return count;
  }

  // Writes the deferred creates now (before another statement).
  Status Settle() {
    if (batch_failed_) return *batch_failed_;
    if (deferred_creates_.empty()) return Ok{};
    pg::Statement insert = CreatesStatement();
    deferred_creates_.clear();
    auto done = conn_.Query(insert.sql.c_str(), insert.params);
    if (!done) return FailBatch(done.error());
    return Ok{};
  }

  // An error outside any savepoint aborts the batch's transaction: every
  // change of it is then reported failed by CommitBatch.
  Error FailBatch(Error error) {
    if (batch_open_ && !batch_failed_) batch_failed_ = error;
    return error;
  }

  // One statement for every deferred create: the rows, numbered events
  // from the project's counter, in the creates' order.
  pg::Statement CreatesStatement() const {
    std::string ids = "{", sessions = "{", times = "{", requests = "{", authors = "{";
    for (std::size_t i = 0; i < deferred_creates_.size(); ++i) {
      const Annotation& a = deferred_creates_[i];
      const char* comma = i == 0 ? "" : ",";
      ids += comma + QuoteArrayItem(a.id);
      sessions += comma + QuoteArrayItem(a.session_id);
      times += comma + Num(a.created_at);
      requests += comma + QuoteArrayItem(json::serialize(a.request));
      // Who made it (team mode); an unquoted NULL is SQL NULL in an array.
      authors += comma + (a.author_name ? QuoteArrayItem(*a.author_name) : std::string("NULL"));
    }
    std::string sql =
        "WITH rows AS (SELECT * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], "
        "$7::text[]) WITH ORDINALITY AS r(id, session_id, created_at, request, author_name, n)), "
        "bump AS (UPDATE nga_projects SET last_seq = last_seq + $6::bigint WHERE name = $1 "
        "RETURNING last_seq - $6::bigint AS base), "
        "added AS (INSERT INTO nga_annotations(project, id, session_id, created_at, updated_at, "
        "status, request, author_name) SELECT $1, id, session_id, created_at, created_at, "
        "'pending', request, author_name FROM rows ORDER BY n) "
        "INSERT INTO nga_events(project, seq, type, session_id, annotation_id, at) "
        "SELECT $1, bump.base + rows.n, '" +
        std::string(EventTypeName(EventType::kAnnotationCreated)) +
        "', rows.session_id, rows.id, rows.created_at FROM rows, bump";
    return {std::move(sql),
            {project_, ids + "}", sessions + "}", times + "}", requests + "}",
             Num(static_cast<std::int64_t>(deferred_creates_.size())), authors + "}"}};
  }

  // Every other statement: the deferred creates first.
  Result<pg::Rows> Query(const char* sql, const Params& params = {}) {
    if (auto ok = Settle(); !ok) return ok.error();
    return conn_.Query(sql, params);
  }

  static Session ReadSession(const pg::Rows& rows, int i) {
    return Session{rows.Text(i, 0),     rows.Int(i, 1),  rows.Int(i, 2),
                   rows.Int(i, 3) != 0, rows.Text(i, 4), rows.Int(i, 5) != 0};
  }

  // A session's owner whose lease ran out ($2: the oldest live renewal).
  static constexpr const char* kDeadOwner =
      "owner_instance NOT IN (SELECT id FROM nga_instances i WHERE i.project = $1 AND "
      "i.renewed_at >= $2::bigint)";

  Status WriteLease() {
    auto rows = Query(
        "INSERT INTO nga_instances(project, id, renewed_at) VALUES($1, $2, $3) "
        "ON CONFLICT(project, id) DO UPDATE SET renewed_at = $3",
        {project_, instance_, Num(clock_())});
    if (!rows) return rows.error();
    return Ok{};
  }

  // Makes the active sessions matching `condition` inactive, one event each,
  // and forgets instances long dead. Binds $1 project, $2 the oldest live
  // renewal, $3 this instance.
  Status DeactivateSessions(const std::string& condition) {
    auto tx = Begin();
    if (!tx) return tx.error();
    Millis live_since = clock_() - kInstanceLease;
    std::string which = "project = $1 AND active = 1 AND " + condition;
    // Events first (they number the rows the update is about to change).
    std::string events =
        "WITH rows AS (SELECT id, row_number() OVER (ORDER BY created_at, ord) AS n "
        "FROM nga_sessions WHERE " +
        which +
        "), bump AS (UPDATE nga_projects SET last_seq = last_seq + (SELECT COUNT(*) FROM rows) "
        "WHERE name = $1 RETURNING last_seq - (SELECT COUNT(*) FROM rows) AS base) "
        "INSERT INTO nga_events(project, seq, type, session_id, annotation_id, at) "
        "SELECT $1, bump.base + rows.n, 'session.updated', rows.id, '', $4::bigint "
        "FROM rows, bump";
    auto logged = Query(events.c_str(), {project_, Num(live_since), instance_, Num(clock_())});
    if (!logged) return logged.error();
    auto done =
        Query(("UPDATE nga_sessions SET active = 0, owner_instance = NULL WHERE " + which).c_str(),
              {project_, Num(live_since), instance_});
    if (!done) return done.error();
    auto forget = Query("DELETE FROM nga_instances WHERE project = $1 AND renewed_at < $2::bigint",
                        {project_, Num(live_since)});
    if (!forget) return forget.error();
    return Commit(*tx);
  }

  // Runs an UPDATE of one session ($1 project, $2 id, $3 now, $4 this
  // instance) and logs it if asked.
  Result<Session> UpdateSession(std::string_view id, const char* set, bool log_event) {
    {
      auto tx = Begin();
      if (!tx) return tx.error();
      std::string sql =
          std::string("UPDATE nga_sessions SET ") + set + " WHERE project = $1 AND id = $2";
      pg::Params params{project_, std::string(id), Num(clock_())};
      // Only the statements that name the owner get it: PostgreSQL refuses a
      // parameter the text does not use.
      if (sql.find("$4") != std::string::npos) params.push_back(instance_);
      auto rows = Query(sql.c_str(), params);
      if (!rows) return rows.error();
      if (rows->Affected() == 0) return NotFound("session", id);
      if (log_event) {
        if (auto ok = AppendEvent(EventType::kSessionUpdated, id, ""); !ok) return ok.error();
      }
      if (auto ok = Commit(*tx); !ok) return ok.error();
    }
    return GetSession(id);
  }

  Status AppendEvent(EventType type, std::string_view session_id, std::string_view annotation_id) {
    auto rows =
        Query(kAppendEvent, {project_, std::string(EventTypeName(type)), std::string(session_id),
                             std::string(annotation_id), Num(clock_())});
    if (!rows) return rows.error();
    return Ok{};
  }

  // Appends one event of `type` per row of `select` (columns session_id,
  // annotation_id, created_at, ord; $1 is the project, $3 the optional
  // `arg`), numbered in the rows' order from the project's counter.
  Status AppendEventsFor(const std::string& select, EventType type,
                         std::optional<std::string> arg = std::nullopt) {
    std::string sql =
        "WITH rows AS (SELECT session_id, annotation_id, "
        "row_number() OVER (ORDER BY created_at, ord) AS n FROM (" +
        select +
        ") picked), "
        "bump AS (UPDATE nga_projects SET last_seq = last_seq + (SELECT COUNT(*) FROM rows) "
        "WHERE name = $1 RETURNING last_seq - (SELECT COUNT(*) FROM rows) AS base) "
        "INSERT INTO nga_events(project, seq, type, session_id, annotation_id, at) "
        "SELECT $1, bump.base + rows.n, '" +
        EventTypeName(type) + "', rows.session_id, rows.annotation_id, $2::bigint FROM rows, bump";
    Params params{project_, Num(clock_())};
    if (arg) params.push_back(*arg);
    auto rows = Query(sql.c_str(), params);
    if (!rows) return rows.error();
    return Ok{};
  }

  Status WriteHeartbeat(Millis at) {
    auto rows = Query("UPDATE nga_projects SET last_agent_heartbeat = $2 WHERE name = $1",
                      {project_, Num(at)});
    if (!rows) return rows.error();
    return Ok{};
  }

  // The WHERE clause of a filter, its parameters added to q.
  std::string FilterWhere(SqlBuilder& q, const AnnotationFilter& filter) const {
    std::string where = " WHERE project = " + q.Param(project_);
    if (filter.session_id) where += " AND session_id = " + q.Param(*filter.session_id);
    if (filter.status) where += " AND status = " + q.Param(StatusName(*filter.status));
    // A keyset cursor: after the row named by id (created at created_at).
    if (filter.after) {
      std::string at = q.Param(Num(filter.after->created_at));
      std::string id = q.Param(filter.after->id);
      where +=
          " AND (created_at > " + at + "::bigint OR (created_at = " + at +
          "::bigint AND ord > COALESCE((SELECT ord FROM nga_annotations c WHERE c.project = $1 "
          "AND c.id = " +
          id + "), -1)))";
    }
    return where;
  }

  Status InsertAnnotation(const Annotation& a, bool replace_replies = true) {
    std::optional<std::string> response;
    if (a.diff_response) response = DiffResponseName(*a.diff_response);
    auto rows = Query(
        "INSERT INTO nga_annotations(project, id, session_id, created_at, updated_at, status, "
        "request, diff, diff_response, author_name, status_by) "
        "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
        "ON CONFLICT(project, id) DO UPDATE SET session_id = $3, created_at = $4, "
        "updated_at = $5, status = $6, request = $7, diff = $8, diff_response = $9, "
        "author_name = $10, status_by = $11",
        {project_, a.id, a.session_id, Num(a.created_at), Num(a.updated_at),
         std::string(StatusName(a.status)), json::serialize(a.request), a.diff, response,
         a.author_name, a.status_by});
    if (!rows) return rows.error();
    if (!replace_replies) return Ok{};  // a new annotation has none
    auto clear = Query("DELETE FROM nga_replies WHERE project = $1 AND annotation_id = $2",
                       {project_, a.id});
    if (!clear) return clear.error();
    for (const auto& reply : a.replies) {
      if (auto ok = InsertReply(a.id, reply); !ok) return ok;
    }
    auto last = Query(
        "UPDATE nga_annotations SET last_reply_author = (SELECT author FROM nga_replies r "
        "WHERE r.project = $1 AND r.annotation_id = $2 ORDER BY r.created_at DESC, r.ord DESC "
        "LIMIT 1) WHERE project = $1 AND id = $2",
        {project_, a.id});
    if (!last) return last.error();
    return Ok{};
  }

  Status InsertReply(std::string_view annotation_id, const Reply& reply) {
    auto rows = Query(
        "INSERT INTO nga_replies(project, id, annotation_id, created_at, author, message, "
        "author_name) VALUES($1, $2, $3, $4, $5, $6, $7)",
        {project_, reply.id, std::string(annotation_id), Num(reply.created_at),
         std::string(AuthorName(reply.author)), reply.message, reply.author_name});
    if (!rows) return rows.error();
    return Ok{};
  }

  // Reads the rows of a SELECT of kAnnotationColumns, then the replies of
  // those that have any, in one more query.
  Result<std::vector<Annotation>> ReadAnnotations(const char* sql, const Params& params) {
    auto rows = Query(sql, params);
    if (!rows) return rows.error();
    std::vector<Annotation> out;
    out.reserve(rows->size());
    std::string with_replies;  // a text[] literal of ids (UUIDs: no quoting needed)
    for (int i = 0; i < rows->size(); ++i) {
      Annotation a;
      a.id = rows->Text(i, 0);
      a.session_id = rows->Text(i, 1);
      a.created_at = rows->Int(i, 2);
      a.updated_at = rows->Int(i, 3);
      a.status = ParseStatus(rows->Text(i, 4)).value_or(AnnotationStatus::kPending);
      std::error_code ec;
      json::value request = json::parse(rows->Text(i, 5), ec);
      if (!ec && request.is_object()) a.request = std::move(request.get_object());
      a.diff = rows->OptionalText(i, 6);
      auto response = rows->OptionalText(i, 7);
      if (response == "approved") a.diff_response = DiffResponse::kApproved;
      if (response == "rejected") a.diff_response = DiffResponse::kRejected;
      a.author_name = rows->OptionalText(i, 9);
      a.status_by = rows->OptionalText(i, 10);
      if (!rows->IsNull(i, 8)) {
        with_replies += (with_replies.empty() ? "" : ",") + QuoteArrayItem(a.id);
      }
      out.push_back(std::move(a));
    }
    if (with_replies.empty()) return out;
    auto replies = Query(
        "SELECT annotation_id, id, created_at, author, message, author_name FROM nga_replies "
        "WHERE project = $1 AND annotation_id = ANY($2::text[]) "
        "ORDER BY annotation_id, created_at, ord",
        {project_, "{" + with_replies + "}"});
    if (!replies) return replies.error();
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < out.size(); ++i) index.emplace(out[i].id, i);
    for (int i = 0; i < replies->size(); ++i) {
      auto it = index.find(replies->Text(i, 0));
      if (it == index.end()) continue;
      out[it->second].replies.push_back(
          Reply{replies->Text(i, 1), replies->Int(i, 2),
                replies->Text(i, 3) == "agent" ? Author::kAgent : Author::kUser,
                replies->Text(i, 4), replies->OptionalText(i, 5)});
    }
    return out;
  }

  // An element of a text[] literal, double-quoted and escaped (imported ids
  // are whatever the export held).
  static std::string QuoteArrayItem(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"";
  }

  // The compare-and-set at the heart of every status change; the project
  // lock (Begin) makes read-check-write one step for every other writer.
  Result<Annotation> ApplyStatusChange(const StatusChange& change) override {
    {
      auto tx = Begin();
      if (!tx) return tx.error();
      std::string id(change.id);
      auto current = Query(
          "SELECT session_id, status, diff_response, (SELECT COUNT(*) FROM nga_replies r WHERE "
          "r.project = $1 AND r.annotation_id = $2) FROM nga_annotations "
          "WHERE project = $1 AND id = $2",
          {project_, id});
      if (!current) return current.error();
      if (current->empty()) return NotFound("annotation", change.id);
      ChangeTarget target{current->Text(0, 0),
                          ParseStatus(current->Text(0, 1)).value_or(AnnotationStatus::kPending),
                          !current->IsNull(0, 2)};
      std::string session_id = target.session_id;
      if (auto ok = CheckStatusChange(change, target); !ok) return ok.error();
      if (auto ok = CheckReplyRoom(change, static_cast<std::size_t>(current->Int(0, 3))); !ok) {
        return ok.error();
      }

      Millis now = clock_();
      bool with_reply = change.adds_reply();
      std::optional<std::string> to, diff, response, reply_author;
      if (change.to) to = StatusName(*change.to);
      if (change.diff) diff = std::string(*change.diff);
      if (change.diff_response) response = DiffResponseName(*change.diff_response);
      if (with_reply) reply_author = AuthorName(*change.reply_author);
      auto update = Query(
          "UPDATE nga_annotations SET updated_at = $3::bigint, "
          "status = COALESCE($4::text, status), "
          "diff = CASE WHEN $5::text IS NULL THEN diff ELSE $5::text END, "
          "diff_response = CASE WHEN $5::text IS NOT NULL THEN NULL "
          "WHEN $6::text IS NOT NULL THEN $6::text ELSE diff_response END, "
          "last_reply_author = COALESCE($7::text, last_reply_author), "
          "status_by = CASE WHEN $4::text IS NULL THEN status_by ELSE $8::text END "
          "WHERE project = $1 AND id = $2",
          {project_, id, Num(now), to, diff, response, reply_author, ActorOrNull()});
      if (!update) return update.error();
      if (with_reply) {
        Reply reply{NewUuidV4(), now, *change.reply_author, std::string(*change.reply_message),
                    ActorOrNull()};
        if (auto ok = InsertReply(id, reply); !ok) return ok.error();
      }
      if (auto ok = AppendEvent(EventType::kAnnotationUpdated, session_id, id); !ok) {
        return ok.error();
      }
      if (auto ok = Commit(*tx); !ok) return ok.error();
    }
    return GetAnnotation(change.id);
  }

  pg::Connection conn_;
  std::string url_;
  std::string project_;
  std::filesystem::path path_;
  Clock clock_;
  // This store's instance (see Store::RenewInstanceLease): the sessions it
  // creates or re-activates are its own.
  std::string instance_;
  bool batch_open_ = false;
  // The batch's creates not yet written, and what each session holds.
  std::vector<Annotation> deferred_creates_;
  std::unordered_map<std::string, std::size_t> session_counts_;
  // Set when a statement outside any savepoint failed: the transaction is
  // aborted, and the batch's commit reports this instead.
  std::optional<Error> batch_failed_;
};

}  // namespace

std::string ChannelFor(const std::string& project) { return "nga:" + project; }

Status CheckProjectName(const std::string& project) {
  // NOTIFY channels are identifiers of at most 63 bytes; "nga:" takes 4.
  if (project.empty() || project.size() > 48) {
    return MakeError(ErrorCode::kInvalidArgument, "--project must be 1 to 48 bytes long (got " +
                                                      std::to_string(project.size()) + ")");
  }
  for (unsigned char c : project) {
    if (c < 0x20 || c == 0x7f) {
      return MakeError(ErrorCode::kInvalidArgument, "--project must not hold control characters");
    }
  }
  return Ok{};
}

std::string RedactUrl(const std::string& url) {
  // scheme://user:password@host/... -> scheme://user:***@host/...
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto at = url.find('@', scheme + 3);
  auto slash = url.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

Result<int> MigratePostgresStore(const std::string& url) {
  auto conn = pg::Connection::Open(url);
  if (!conn) return conn.error();
  if (auto ok = pg::Migrate(*conn); !ok) return ok.error();
  return pg::CurrentSchemaVersion();
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, const std::string& project,
                                                 StoreOptions options) {
  if (auto ok = CheckProjectName(project); !ok) return ok.error();
  auto conn = pg::Connection::Open(url);
  if (!conn) return conn.error();
  if (auto ok = pg::Migrate(*conn); !ok) return ok.error();
  auto created = conn->Query(
      "INSERT INTO nga_projects(name) VALUES($1) ON CONFLICT(name) DO NOTHING", {project});
  if (!created) return created.error();
  return std::unique_ptr<Store>(
      new PostgresStore(std::move(*conn), url, project, std::move(options.clock)));
}

}  // namespace nga
