// The annotation store: SQLite in WAL mode, shared safely by several
// processes (serve, one or more mcp, the CLI). Knows nothing of the network.
//
// Thread rules: a Store is one SQLite connection. Call it from one thread (or
// one Asio strand) only. Other processes may use the same file at once: every
// change is one IMMEDIATE transaction (or one savepoint of a batch, see
// BeginBatch), and status changes are compare-and-set, so no update is ever
// lost and of concurrent callers exactly one wins.
//
// Every change appends a row to the event log (see Event); readers in any
// process find out about it through ChangeWatcher and read the delta with
// EventsSince().
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/build_manifest.h"
#include "store/model.h"
#include "store/screenshot.h"
#include "store/token.h"
#include "util/result.h"
#include "util/time.h"

namespace nga {

enum class EventType {
  kSessionCreated,
  kSessionUpdated,  // active or yoloMode changed (lastSeenAt alone is not logged)
  kAnnotationCreated,
  kAnnotationUpdated,  // status, reply, diff, diffResponse
  kAnnotationDeleted,  // by annotations:clear
};
const char* EventTypeName(EventType type);

// One row of the change feed. Sequence numbers only grow.
struct Event {
  std::int64_t seq = 0;
  EventType type = EventType::kAnnotationCreated;
  std::string session_id;
  std::string annotation_id;  // empty for session events
  Millis at = 0;
};

struct StoreOptions {
  Clock clock = SystemNowMillis;
  // How long a write waits for another process's transaction to finish.
  int busy_timeout_ms = 10000;
  // WAL checkpoints on a thread of their own instead of inside the commit
  // that crosses SQLite's 1 000 WAL pages (see store/checkpointer.h). For the
  // processes whose writes answer someone (`serve`, `mcp`); one-shot commands
  // keep SQLite's default.
  bool background_checkpoint = false;
  // SQLite: the project every row and query of this store is scoped to;
  // empty for the store's default project (store/schema.h: the root
  // directory's name when the file was created). PostgreSQL takes its
  // project as an argument of OpenPostgresStore instead.
  std::string project;
};

// Where a page of a list ends: the last annotation it held. The next page
// starts after it, in the list's order (oldest first).
struct AnnotationCursor {
  Millis created_at = 0;
  std::string id;
};

struct AnnotationFilter {
  std::optional<std::string> session_id;
  std::optional<AnnotationStatus> status;
  // Only annotations after this one (a page's cursor).
  std::optional<AnnotationCursor> after;
  // At most this many (0: all).
  std::size_t limit = 0;
};

// Process-wide set-up of the storage library; main() calls it first, before
// any store is opened (later it changes nothing). It turns off SQLite's
// allocation statistics, which nothing here reads and which take a global
// mutex on every allocation of every connection.
void ConfigureStorageForProcess();

class Store {
 public:
  // Opens (creating it and its directory if needed) the store at db_file and
  // brings its schema up to date. Fails with kStorage on a database written
  // by a newer ng-annotate, or one that is not an SQLite file.
  static Result<std::unique_ptr<Store>> Open(const std::filesystem::path& db_file,
                                             StoreOptions options = {});
  virtual ~Store() = default;

  // The SQLite file; for PostgreSQL a description of the URL (its password
  // left out) and project, for messages.
  virtual const std::filesystem::path& path() const = 0;
  // The postgres:// URL of a PostgreSQL store; empty for SQLite. The change
  // feed listens on it (LISTEN/NOTIFY) instead of watching a file.
  virtual const std::string& postgres_url() const {
    static const std::string kNone;
    return kNone;
  }
  // The project every row and notification of this store is scoped to.
  virtual const std::string& project() const = 0;

  // ---- sessions -------------------------------------------------------
  // A new active session.
  virtual Result<Session> CreateSession(std::string_view url) = 0;
  // Restores a known session: active again, lastSeenAt now. kNotFound if unknown.
  virtual Result<Session> ActivateSession(std::string_view id) = 0;
  virtual Result<Session> GetSession(std::string_view id) = 0;
  // Oldest first.
  virtual Result<std::vector<Session>> ListSessions() = 0;
  virtual Status SetSessionActive(std::string_view id, bool active) = 0;
  // lastSeenAt = now (session:ping). Not logged as an event.
  virtual Status TouchSession(std::string_view id) = 0;
  virtual Result<Session> ToggleYolo(std::string_view id) = 0;
  // serve calls this on start-up: no browser can be connected yet. On a
  // store shared by several serve instances: the sessions of this instance
  // and of the instances whose lease ran out (see RenewInstanceLease).
  virtual Status MarkAllSessionsInactive() = 0;
  // For a store shared by several `serve` instances (PostgreSQL): a session
  // belongs to the instance that holds its socket. serve calls this every
  // kInstanceRenewInterval: it records that this instance lives, and makes
  // inactive the sessions of every instance that stopped renewing (killed,
  // or cut off) kInstanceLease ago. A no-op for SQLite, where one serve
  // holds every socket.
  virtual Status RenewInstanceLease() { return Ok{}; }

  // ---- annotations ----------------------------------------------------
  // Validates the browser's payload (see validate.h) and stores a pending
  // annotation. id, sessionId, createdAt, status and replies in the payload
  // are ignored; unknown fields are dropped. kNotFound for an unknown session.
  virtual Result<Annotation> CreateAnnotation(std::string_view session_id,
                                              const boost::json::object& payload) = 0;
  virtual Result<Annotation> GetAnnotation(std::string_view id) = 0;
  // Oldest first; ties broken by insertion order.
  virtual Result<std::vector<Annotation>> ListAnnotations(const AnnotationFilter& filter) = 0;
  // How many annotations ListAnnotations would return without the limit.
  virtual Result<std::size_t> CountAnnotations(const AnnotationFilter& filter) = 0;
  // Work an agent should pick up: pending annotations, plus non-terminal ones
  // whose newest reply is the user's. Oldest first.
  // At most `limit` of them (0: all).
  virtual Result<std::vector<Annotation>> ListWaitingWork(
      std::optional<std::string_view> session_id, std::size_t limit = 0) = 0;

  // Each of these is one transaction and returns the annotation after the
  // change, replies included. kNotFound / kWrongStatus / kForbidden otherwise.
  //
  // pending -> acknowledged (+ agent reply if message is given). Of several
  // concurrent callers exactly one succeeds.
  virtual Result<Annotation> Acknowledge(std::string_view id,
                                         std::optional<std::string_view> message) = 0;
  // pending | acknowledged | diff_proposed -> diff_proposed; stores diff and
  // clears an earlier diffResponse.
  virtual Result<Annotation> ProposeDiff(std::string_view id, std::string_view diff) = 0;
  // Sets diffResponse while diff_proposed and no response is recorded yet.
  // When owner_session is given, the annotation must belong to it.
  virtual Result<Annotation> RespondToDiff(std::string_view id, DiffResponse response,
                                           std::optional<std::string_view> owner_session) = 0;
  // any non-terminal -> resolved (+ agent reply if summary is given).
  virtual Result<Annotation> Resolve(std::string_view id,
                                     std::optional<std::string_view> summary) = 0;
  // any non-terminal -> dismissed, with the reason as an agent reply.
  virtual Result<Annotation> Dismiss(std::string_view id, std::string_view reason) = 0;
  // The browser's soft delete: pending -> dismissed, only within owner_session.
  virtual Result<Annotation> DeleteByUser(std::string_view id, std::string_view owner_session) = 0;
  // Appends a reply; status unchanged. When owner_session is given, the
  // annotation must belong to it.
  virtual Result<Annotation> AddReply(std::string_view id, Author author, std::string_view message,
                                      std::optional<std::string_view> owner_session) = 0;
  // The user's check of the agent's work (issue 18), only within owner_session
  // and only while resolved. Accept: resolved -> accepted, the annotation is
  // closed. Reopen: resolved -> pending with the user's note as a reply, so
  // that it is work waiting again (watch_annotations wakes).
  virtual Result<Annotation> Accept(std::string_view id, std::string_view owner_session) = 0;
  virtual Result<Annotation> Reopen(std::string_view id, std::string_view note,
                                    std::string_view owner_session) = 0;
  // Deletes every annotation of the session; returns how many.
  virtual Result<std::size_t> ClearSession(std::string_view session_id) = 0;

  // ---- screenshots (store/screenshot.h) -------------------------------
  // Stores `shot` as the annotation's screenshot of its kind, replacing one
  // already there; created_at is set now. kNotFound for an unknown annotation.
  // No event: the annotation itself did not change.
  virtual Status PutScreenshot(std::string_view annotation_id, const Screenshot& shot) = 0;
  // The annotation's screenshot of `kind`, or nullopt when it has none.
  virtual Result<std::optional<Screenshot>> GetScreenshot(std::string_view annotation_id,
                                                          ScreenshotKind kind) = 0;

  // ---- team-mode tokens (store/token.h), of this store's project ------
  // Stores a new token. kInvalidArgument when its id is taken.
  virtual Status CreateToken(const TokenRecord& token) = 0;
  // The token with that id, revoked and expired ones included; nullopt when
  // there is none in this project.
  virtual Result<std::optional<TokenRecord>> FindToken(std::string_view id) = 0;
  // Every token of the project, oldest first.
  virtual Result<std::vector<TokenRecord>> ListTokens() = 0;
  // Revokes the live tokens whose id or name is `id_or_name` (revoked_at =
  // now); returns how many. Revoked tokens stay listed.
  virtual Result<std::size_t> RevokeTokens(std::string_view id_or_name) = 0;

  // ---- preview builds (store/build_manifest.h) ------------------------
  // Stores the source ids of a build, replacing whatever was stored under
  // its build id (a build pushed again), in one transaction. No event: no
  // annotation changed.
  virtual Status PutBuildManifest(const BuildManifest& manifest) = 0;
  // The "file:line:col" source id `source_id` of build `build_id` stands for;
  // nullopt when no pushed manifest has it.
  virtual Result<std::optional<std::string>> FindBuildSource(std::string_view build_id,
                                                             std::string_view source_id) = 0;

  // ---- agent heartbeat ------------------------------------------------
  virtual Status RecordAgentHeartbeat() = 0;
  virtual Result<std::optional<Millis>> LastAgentHeartbeat() = 0;

  // ---- change feed ----------------------------------------------------
  // The newest sequence number (0 for an empty log).
  virtual Result<std::int64_t> LatestSequence() = 0;
  // Events with seq > after, oldest first, at most limit of them.
  virtual Result<std::vector<Event>> EventsSince(std::int64_t after, std::size_t limit = 10000) = 0;

  // ---- group commit ---------------------------------------------------
  // Opens one transaction that every change made until CommitBatch() joins,
  // each under its own savepoint: a change that fails is rolled back alone
  // and the others stay. Nothing of the batch is visible to other processes,
  // nor durable, before CommitBatch() returns; watchers are woken once, then.
  // Reads on this Store meanwhile see the batch. See WriteQueue, which
  // drives this from an event loop.
  virtual Status BeginBatch() = 0;
  // Commits the batch (rolls all of it back if the commit fails).
  virtual Status CommitBatch() = 0;
  // Rolls the whole batch back.
  virtual void AbortBatch() = 0;
  virtual bool in_batch() const = 0;

  // ---- bulk -----------------------------------------------------------
  // Inserts or replaces the given records as they are (ids, times, statuses
  // and replies kept), in one transaction. Used by `import`.
  virtual Status Import(const std::vector<Session>& sessions,
                        const std::vector<Annotation>& annotations,
                        std::optional<Millis> last_agent_heartbeat) = 0;
  // SQLite's PRAGMA integrity_check: "ok" or the problems it found.
  virtual Result<std::string> IntegrityCheck() = 0;

  // ---- who is acting (team mode, issue 20) -----------------------------
  // The name (a token's) recorded with what the next calls change: a new
  // annotation's authorName, a reply's authorName, a status change's
  // statusBy, beside user/agent. Empty (the default, and the loopback dev
  // mode): nothing is recorded. Set it around each change with ActingAs.
  void SetActor(std::string name) { actor_ = std::move(name); }
  const std::string& actor() const { return actor_; }

 protected:
  // The actor as a column value: NULL when there is none.
  std::optional<std::string> ActorOrNull() const {
    if (actor_.empty()) return std::nullopt;
    return actor_;
  }

  // What both stores do first on CreateAnnotation: the payload validated
  // (validate.h) into a new annotation of `session_id`, with a new id,
  // created and updated at `now`, the actor as its author.
  Result<Annotation> NewAnnotation(std::string_view session_id, const boost::json::object& payload,
                                   Millis now) const;

 private:
  std::string actor_;
};

// Sets the store's actor for one scope, and puts the previous one back.
class ActingAs {
 public:
  ActingAs(Store& store, std::string_view name) : store_(store), previous_(store.actor()) {
    store.SetActor(std::string(name));
  }
  ~ActingAs() { store_.SetActor(std::move(previous_)); }
  ActingAs(const ActingAs&) = delete;
  ActingAs& operator=(const ActingAs&) = delete;

 private:
  Store& store_;
  std::string previous_;
};

}  // namespace nga
