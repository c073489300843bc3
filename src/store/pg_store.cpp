// Store on PostgreSQL (see pg_store.h for the guarantees and why).
#include "store/pg_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <system_error>

#include "store/pg.h"
#include "store/pg_schema.h"
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

// One status change, as the named operations describe it (as in the SQLite store).
struct Change {
  std::string_view id;
  std::string_view action;
  std::initializer_list<AnnotationStatus> allowed_from;
  std::optional<std::string_view> owner_session;
  std::optional<AnnotationStatus> to;
  std::optional<Author> reply_author;
  std::optional<std::string_view> reply_message;
  std::optional<std::string_view> diff;
  std::optional<DiffResponse> diff_response;
  bool reply_capped = false;
};

constexpr std::initializer_list<AnnotationStatus> kOpen = {
    AnnotationStatus::kPending, AnnotationStatus::kAcknowledged, AnnotationStatus::kDiffProposed};

constexpr const char* kAnnotationColumns =
    "id, session_id, created_at, updated_at, status, request, diff, diff_response, "
    "last_reply_author";
// Exactly the condition of the partial indexes nga_annotations_waiting*.
constexpr const char* kWaitingCondition =
    "(status = 'pending' OR "
    "(status IN ('acknowledged', 'diff_proposed') AND last_reply_author = 'user'))";
constexpr const char* kSessionColumns = "id, created_at, last_seen_at, active, url, yolo_mode";

// Appends one event, numbered from the project's counter (locked by the
// transaction, see LockProject). $1 project, $2 type, $3 session, $4
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

class PostgresStore final : public Store {
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
    auto done = conn_.Query(
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
    auto rows = conn_.Query((std::string("SELECT ") + kSessionColumns +
                             " FROM nga_sessions WHERE project = $1 AND id = $2")
                                .c_str(),
                            {project_, std::string(id)});
    if (!rows) return rows.error();
    if (rows->empty()) return NotFound("session", id);
    return ReadSession(*rows, 0);
  }

  Result<std::vector<Session>> ListSessions() override {
    auto rows = conn_.Query((std::string("SELECT ") + kSessionColumns +
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
    auto rows =
        conn_.Query("UPDATE nga_sessions SET last_seen_at = $3 WHERE project = $1 AND id = $2",
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
        conn_.Query((std::string("SELECT 1 FROM nga_sessions WHERE project = $1 AND active = 1 AND "
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
    auto request = ValidateAnnotationPayload(payload);
    if (!request) return request.error();
    Annotation annotation;
    annotation.id = NewUuidV4();
    annotation.session_id = session_id;
    annotation.created_at = annotation.updated_at = clock_();
    annotation.request = std::move(*request);

    auto tx = Begin();
    if (!tx) return tx.error();
    // The session's row and its count in one read (the count is an index-only
    // scan of at most kAnnotationsPerSession entries).
    auto held = conn_.Query(
        "SELECT (SELECT COUNT(*) FROM nga_annotations a WHERE a.project = $1 AND "
        "a.session_id = $2) FROM nga_sessions WHERE project = $1 AND id = $2",
        {project_, std::string(session_id)});
    if (!held) return held.error();
    if (held->empty()) return NotFound("session", session_id);
    std::int64_t count = held->Int(0, 0);
    if (static_cast<std::size_t>(count) >= limits::kAnnotationsPerSession) {
      return MakeError(ErrorCode::kLimitExceeded,
                       "this session already holds " + std::to_string(count) +
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
    auto rows = conn_.Query(q.sql.c_str(), q.params);
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
    auto tx = Begin();
    if (!tx) return tx.error();
    auto events = AppendEventsFor(
        "SELECT session_id, id AS annotation_id, created_at, ord FROM nga_annotations "
        "WHERE project = $1 AND session_id = $3",
        EventType::kAnnotationDeleted, std::string(session_id));
    if (!events) return events.error();
    auto del = conn_.Query("DELETE FROM nga_annotations WHERE project = $1 AND session_id = $2",
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
    auto exists = conn_.Query("SELECT 1 FROM nga_annotations WHERE project = $1 AND id = $2",
                              {project_, std::string(annotation_id)});
    if (!exists) return exists.error();
    if (exists->empty()) return NotFound("annotation", annotation_id);
    auto put = conn_.Query(
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
    auto rows = conn_.Query(
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
    auto rows =
        conn_.Query("SELECT last_agent_heartbeat FROM nga_projects WHERE name = $1", {project_});
    if (!rows) return rows.error();
    std::optional<Millis> at;
    if (!rows->empty() && !rows->IsNull(0, 0)) at = rows->Int(0, 0);
    return at;
  }

  // ---- change feed ----------------------------------------------------

  Result<std::int64_t> LatestSequence() override {
    auto rows = conn_.Query("SELECT last_seq FROM nga_projects WHERE name = $1", {project_});
    if (!rows) return rows.error();
    return rows->empty() ? 0 : rows->Int(0, 0);
  }

  Result<std::vector<Event>> EventsSince(std::int64_t after, std::size_t limit) override {
    auto rows = conn_.Query(
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
    if (auto ok = conn_.Exec("BEGIN"); !ok) return ok;
    if (auto ok = LockProject(); !ok) {
      (void)conn_.Exec("ROLLBACK");
      return ok;
    }
    batch_open_ = true;
    return Ok{};
  }

  Status CommitBatch() override {
    if (!batch_open_) return Ok{};
    batch_open_ = false;
    if (auto ok = Notify(); !ok) {
      (void)conn_.Exec("ROLLBACK");
      return ok;
    }
    auto done = conn_.Exec("COMMIT");
    if (!done) (void)conn_.Exec("ROLLBACK");
    return done;
  }

  void AbortBatch() override {
    if (!batch_open_) return;
    batch_open_ = false;
    (void)conn_.Exec("ROLLBACK");
  }

  bool in_batch() const override { return batch_open_; }

  // ---- bulk -----------------------------------------------------------

  Status Import(const std::vector<Session>& sessions, const std::vector<Annotation>& annotations,
                std::optional<Millis> last_agent_heartbeat) override {
    auto tx = Begin();
    if (!tx) return tx.error();
    for (const auto& session : sessions) {
      auto done = conn_.Query(
          "INSERT INTO nga_sessions(project, id, created_at, last_seen_at, active, url, yolo_mode) "
          "VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(project, id) DO UPDATE SET "
          "created_at = $3, last_seen_at = $4, active = $5, url = $6, yolo_mode = $7",
          {project_, session.id, Num(session.created_at), Num(session.last_seen_at),
           Num(session.active), session.url, Num(session.yolo_mode)});
      if (!done) return done.error();
      if (auto ok = AppendEvent(EventType::kSessionUpdated, session.id, ""); !ok) return ok;
    }
    for (const auto& annotation : annotations) {
      auto exists = conn_.Query("SELECT 1 FROM nga_sessions WHERE project = $1 AND id = $2",
                                {project_, annotation.session_id});
      if (!exists) return exists.error();
      if (exists->empty()) {
        return MakeError(ErrorCode::kNotFound, "annotation " + annotation.id + " names session " +
                                                   annotation.session_id +
                                                   ", which is neither stored nor imported");
      }
      auto existed = conn_.Query("SELECT 1 FROM nga_annotations WHERE project = $1 AND id = $2",
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
    auto rows = conn_.Query(
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
    auto tx = pg::Transaction::Begin(conn_, batch_open_);
    if (!tx) return tx.error();
    if (!batch_open_) {
      if (auto ok = LockProject(); !ok) return ok.error();
    }
    return tx;
  }

  // Serializes this project's writers (see pg_store.h), first thing in each
  // transaction, so that no two writers ever wait on each other in a cycle.
  Status LockProject() {
    auto rows = conn_.Query("SELECT 1 FROM nga_projects WHERE name = $1 FOR UPDATE", {project_});
    if (!rows) return rows.error();
    if (rows->empty()) {
      return MakeError(ErrorCode::kStorage, "store: project " + project_ +
                                                " is missing from the database; run `ng-annotate "
                                                "migrate --store URL` and start again");
    }
    return Ok{};
  }

  // NOTIFY <project channel>, '<latest seq>': delivered to every listener
  // when (and only if) the transaction commits.
  Status Notify() {
    auto rows =
        conn_.Query("SELECT pg_notify($2, last_seq::text) FROM nga_projects WHERE name = $1",
                    {project_, ChannelFor(project_)});
    if (!rows) return rows.error();
    return Ok{};
  }

  // Commits a change. Inside a batch this only releases its savepoint; the
  // batch's commit notifies once.
  Status Commit(pg::Transaction& tx) {
    if (!batch_open_) {
      if (auto ok = Notify(); !ok) return ok;
    }
    return tx.Commit();
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
    auto rows = conn_.Query(
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
    auto logged =
        conn_.Query(events.c_str(), {project_, Num(live_since), instance_, Num(clock_())});
    if (!logged) return logged.error();
    auto done = conn_.Query(
        ("UPDATE nga_sessions SET active = 0, owner_instance = NULL WHERE " + which).c_str(),
        {project_, Num(live_since), instance_});
    if (!done) return done.error();
    auto forget =
        conn_.Query("DELETE FROM nga_instances WHERE project = $1 AND renewed_at < $2::bigint",
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
      auto rows = conn_.Query(sql.c_str(), params);
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
    auto rows = conn_.Query(kAppendEvent,
                            {project_, std::string(EventTypeName(type)), std::string(session_id),
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
    auto rows = conn_.Query(sql.c_str(), params);
    if (!rows) return rows.error();
    return Ok{};
  }

  Status WriteHeartbeat(Millis at) {
    auto rows = conn_.Query("UPDATE nga_projects SET last_agent_heartbeat = $2 WHERE name = $1",
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
    auto rows = conn_.Query(
        "INSERT INTO nga_annotations(project, id, session_id, created_at, updated_at, status, "
        "request, diff, diff_response) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) "
        "ON CONFLICT(project, id) DO UPDATE SET session_id = $3, created_at = $4, "
        "updated_at = $5, status = $6, request = $7, diff = $8, diff_response = $9",
        {project_, a.id, a.session_id, Num(a.created_at), Num(a.updated_at),
         std::string(StatusName(a.status)), json::serialize(a.request), a.diff, response});
    if (!rows) return rows.error();
    if (!replace_replies) return Ok{};  // a new annotation has none
    auto clear = conn_.Query("DELETE FROM nga_replies WHERE project = $1 AND annotation_id = $2",
                             {project_, a.id});
    if (!clear) return clear.error();
    for (const auto& reply : a.replies) {
      if (auto ok = InsertReply(a.id, reply); !ok) return ok;
    }
    auto last = conn_.Query(
        "UPDATE nga_annotations SET last_reply_author = (SELECT author FROM nga_replies r "
        "WHERE r.project = $1 AND r.annotation_id = $2 ORDER BY r.created_at DESC, r.ord DESC "
        "LIMIT 1) WHERE project = $1 AND id = $2",
        {project_, a.id});
    if (!last) return last.error();
    return Ok{};
  }

  Status InsertReply(std::string_view annotation_id, const Reply& reply) {
    auto rows = conn_.Query(
        "INSERT INTO nga_replies(project, id, annotation_id, created_at, author, message) "
        "VALUES($1, $2, $3, $4, $5, $6)",
        {project_, reply.id, std::string(annotation_id), Num(reply.created_at),
         std::string(AuthorName(reply.author)), reply.message});
    if (!rows) return rows.error();
    return Ok{};
  }

  // Reads the rows of a SELECT of kAnnotationColumns, then the replies of
  // those that have any, in one more query.
  Result<std::vector<Annotation>> ReadAnnotations(const char* sql, const Params& params) {
    auto rows = conn_.Query(sql, params);
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
      if (!rows->IsNull(i, 8)) {
        with_replies += (with_replies.empty() ? "" : ",") + QuoteArrayItem(a.id);
      }
      out.push_back(std::move(a));
    }
    if (with_replies.empty()) return out;
    auto replies = conn_.Query(
        "SELECT annotation_id, id, created_at, author, message FROM nga_replies "
        "WHERE project = $1 AND annotation_id = ANY($2::text[]) "
        "ORDER BY annotation_id, created_at, ord",
        {project_, "{" + with_replies + "}"});
    if (!replies) return replies.error();
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < out.size(); ++i) index.emplace(out[i].id, i);
    for (int i = 0; i < replies->size(); ++i) {
      auto it = index.find(replies->Text(i, 0));
      if (it == index.end()) continue;
      out[it->second].replies.push_back(Reply{
          replies->Text(i, 1), replies->Int(i, 2),
          replies->Text(i, 3) == "agent" ? Author::kAgent : Author::kUser, replies->Text(i, 4)});
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
  Result<Annotation> Apply(const Change& change) {
    {
      auto tx = Begin();
      if (!tx) return tx.error();
      std::string id(change.id);
      auto current = conn_.Query(
          "SELECT session_id, status, diff_response FROM nga_annotations "
          "WHERE project = $1 AND id = $2",
          {project_, id});
      if (!current) return current.error();
      if (current->empty()) return NotFound("annotation", change.id);
      std::string session_id = current->Text(0, 0);
      auto status = ParseStatus(current->Text(0, 1)).value_or(AnnotationStatus::kPending);
      bool has_response = !current->IsNull(0, 2);

      if (change.owner_session && *change.owner_session != session_id) {
        return MakeError(ErrorCode::kForbidden, "annotation " + id + " belongs to another session");
      }
      bool allowed = change.allowed_from.size() == 0;
      for (auto from : change.allowed_from) allowed = allowed || from == status;
      if (!allowed) {
        return MakeError(ErrorCode::kWrongStatus,
                         "cannot " + std::string(change.action) + " annotation " + id + ": it is " +
                             StatusName(status) + ", and that needs it to be " +
                             StatusList(change.allowed_from));
      }
      if (change.diff_response && has_response) {
        return MakeError(ErrorCode::kWrongStatus, "cannot " + std::string(change.action) +
                                                      " annotation " + id +
                                                      ": the diff was already answered");
      }
      if (change.reply_capped) {
        auto replies = conn_.Query(
            "SELECT COUNT(*) FROM nga_replies WHERE project = $1 AND annotation_id = $2",
            {project_, id});
        if (!replies) return replies.error();
        std::int64_t count = replies->Int(0, 0);
        if (static_cast<std::size_t>(count) >= limits::kRepliesPerAnnotation) {
          return MakeError(ErrorCode::kLimitExceeded,
                           "annotation " + id + " already has " + std::to_string(count) +
                               " replies, the limit; resolve or dismiss it and start a new one");
        }
      }

      Millis now = clock_();
      bool with_reply = change.reply_author && change.reply_message;
      std::optional<std::string> to, diff, response, reply_author;
      if (change.to) to = StatusName(*change.to);
      if (change.diff) diff = std::string(*change.diff);
      if (change.diff_response) response = DiffResponseName(*change.diff_response);
      if (with_reply) reply_author = AuthorName(*change.reply_author);
      auto update = conn_.Query(
          "UPDATE nga_annotations SET updated_at = $3::bigint, "
          "status = COALESCE($4::text, status), "
          "diff = CASE WHEN $5::text IS NULL THEN diff ELSE $5::text END, "
          "diff_response = CASE WHEN $5::text IS NOT NULL THEN NULL "
          "WHEN $6::text IS NOT NULL THEN $6::text ELSE diff_response END, "
          "last_reply_author = COALESCE($7::text, last_reply_author) "
          "WHERE project = $1 AND id = $2",
          {project_, id, Num(now), to, diff, response, reply_author});
      if (!update) return update.error();
      if (with_reply) {
        Reply reply{NewUuidV4(), now, *change.reply_author, std::string(*change.reply_message)};
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
