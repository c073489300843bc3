#include "store/pg_schema.h"

#include <string>
#include <vector>

namespace nga::pg {

namespace {

// Any constant shared by every ng-annotate: the advisory lock that
// serializes migrations ("nga" in ASCII).
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(6776673)";

// Migration N brings the schema from version N-1 to N. Append only: never
// edit one that has shipped. (The same order as the SQLite store's list in
// schema.cpp, though the versions need not match.)
const std::vector<const char*>& Migrations() {
  static const std::vector<const char*> migrations = {
      // 1: projects (with the change feed's sequence counter and the agent
      // heartbeat), sessions, annotations, replies and the event log.
      //
      // Sequence numbers come from nga_projects.last_seq, not from a SERIAL:
      // every writer locks its project's row first (FOR UPDATE), so events
      // of a project commit in sequence order and a reader that has seen
      // seq N can never later find a smaller one committing behind it.
      // `ord` keeps insertion order for ties on created_at, as SQLite's rowid.
      R"sql(
      CREATE TABLE nga_projects (
        name TEXT PRIMARY KEY,
        last_seq BIGINT NOT NULL DEFAULT 0,
        last_agent_heartbeat BIGINT
      );
      CREATE TABLE nga_sessions (
        project TEXT NOT NULL REFERENCES nga_projects(name),
        id TEXT NOT NULL,
        ord BIGSERIAL,
        created_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL,
        active INTEGER NOT NULL DEFAULT 0,
        url TEXT NOT NULL DEFAULT '',
        yolo_mode INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (project, id)
      );
      CREATE TABLE nga_annotations (
        project TEXT NOT NULL,
        id TEXT NOT NULL,
        ord BIGSERIAL,
        session_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        status TEXT NOT NULL,
        request TEXT NOT NULL,
        diff TEXT,
        diff_response TEXT,
        last_reply_author TEXT,
        PRIMARY KEY (project, id),
        FOREIGN KEY (project, session_id) REFERENCES nga_sessions(project, id)
      );
      CREATE INDEX nga_annotations_by_session ON nga_annotations(project, session_id, created_at, ord);
      CREATE INDEX nga_annotations_by_status ON nga_annotations(project, status, created_at, ord);
      CREATE INDEX nga_annotations_by_time ON nga_annotations(project, created_at, ord);
      CREATE INDEX nga_annotations_waiting ON nga_annotations(project, created_at, ord)
        WHERE status = 'pending' OR
              (status IN ('acknowledged', 'diff_proposed') AND last_reply_author = 'user');
      CREATE INDEX nga_annotations_waiting_by_session
        ON nga_annotations(project, session_id, created_at, ord)
        WHERE status = 'pending' OR
              (status IN ('acknowledged', 'diff_proposed') AND last_reply_author = 'user');
      CREATE TABLE nga_replies (
        project TEXT NOT NULL,
        id TEXT NOT NULL,
        ord BIGSERIAL,
        annotation_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        author TEXT NOT NULL,
        message TEXT NOT NULL,
        PRIMARY KEY (project, id),
        FOREIGN KEY (project, annotation_id) REFERENCES nga_annotations(project, id)
          ON DELETE CASCADE
      );
      CREATE INDEX nga_replies_by_annotation ON nga_replies(project, annotation_id, created_at, ord);
      CREATE TABLE nga_events (
        project TEXT NOT NULL,
        seq BIGINT NOT NULL,
        type TEXT NOT NULL,
        session_id TEXT NOT NULL,
        annotation_id TEXT NOT NULL DEFAULT '',
        at BIGINT NOT NULL,
        PRIMARY KEY (project, seq)
      );
      )sql",
      // 2: serve instances and who holds each session's socket (issue 19:
      // a dead instance's sessions go inactive within a bound).
      R"sql(
      CREATE TABLE nga_instances (
        project TEXT NOT NULL,
        id TEXT NOT NULL,
        renewed_at BIGINT NOT NULL,
        PRIMARY KEY (project, id)
      );
      ALTER TABLE nga_sessions ADD COLUMN owner_instance TEXT;
      )sql",
      // 3: an annotation's screenshots (issue 18; store/screenshot.h), as
      // SQLite's migration 4: blobs beside the annotation, never in its row,
      // gone with it.
      R"sql(
      CREATE TABLE nga_screenshots (
        project TEXT NOT NULL,
        annotation_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        data BYTEA NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (project, annotation_id, kind),
        FOREIGN KEY (project, annotation_id) REFERENCES nga_annotations(project, id)
          ON DELETE CASCADE
      );
      )sql",
      // 4: team mode (issue 20), as SQLite's migration 5: access tokens per
      // project (the secret's SHA-256 only), and who said what.
      R"sql(
      ALTER TABLE nga_annotations ADD COLUMN author_name TEXT;
      ALTER TABLE nga_annotations ADD COLUMN status_by TEXT;
      ALTER TABLE nga_replies ADD COLUMN author_name TEXT;
      CREATE TABLE nga_tokens (
        project TEXT NOT NULL,
        id TEXT NOT NULL,
        ord BIGSERIAL,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT,
        revoked_at BIGINT,
        PRIMARY KEY (project, id)
      );
      )sql",
      // 5: the source ids of preview builds (issue 20; store/build_manifest.h),
      // as SQLite's migration 7, per project.
      R"sql(
      CREATE TABLE nga_build_sources (
        project TEXT NOT NULL,
        build_id TEXT NOT NULL,
        source_id TEXT NOT NULL,
        location TEXT NOT NULL,
        PRIMARY KEY (project, build_id, source_id)
      );
      )sql",
  };
  return migrations;
}

}  // namespace

int CurrentSchemaVersion() { return static_cast<int>(Migrations().size()); }

Status Migrate(Connection& conn) {
  auto tx = Transaction::Begin(conn, /*nested=*/false);
  if (!tx) return tx.error();
  if (auto ok = conn.Exec(kMigrationLock); !ok) return ok;
  if (auto ok = conn.Exec("CREATE TABLE IF NOT EXISTS nga_schema (version INTEGER NOT NULL)");
      !ok) {
    return ok;
  }
  auto rows = conn.Query("SELECT COALESCE(MAX(version), 0) FROM nga_schema");
  if (!rows) return rows.error();
  int version = static_cast<int>(rows->Int(0, 0));
  if (version > CurrentSchemaVersion()) {
    return MakeError(ErrorCode::kStorage,
                     "store: the database has schema version " + std::to_string(version) +
                         " but this ng-annotate knows only up to " +
                         std::to_string(CurrentSchemaVersion()) + "; upgrade ng-annotate");
  }
  if (version == CurrentSchemaVersion()) return tx->Commit();
  for (int v = version; v < CurrentSchemaVersion(); ++v) {
    if (auto ok = conn.Exec(Migrations()[v]); !ok) return ok;
  }
  if (auto ok = conn.Exec("DELETE FROM nga_schema"); !ok) return ok;
  if (auto ok = conn.Exec("INSERT INTO nga_schema(version) VALUES(" +
                          std::to_string(CurrentSchemaVersion()) + ")");
      !ok) {
    return ok;
  }
  return tx->Commit();
}

}  // namespace nga::pg
