#include "store/schema.h"

#include <string>
#include <vector>

namespace nga {

namespace {

// The migration that gives every row a project key.
constexpr int kProjectKeyVersion = 5;

// Migration N brings the schema from version N-1 to N. Append only: never
// edit one that has shipped.
const std::vector<const char*>& Migrations() {
  static const std::vector<const char*> migrations = {
      // 1: sessions, annotations, replies, the event log and key/value meta.
      R"sql(
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 0,
        url TEXT NOT NULL DEFAULT '',
        yolo_mode INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE annotations (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        status TEXT NOT NULL,
        request TEXT NOT NULL,
        diff TEXT,
        diff_response TEXT
      );
      CREATE INDEX annotations_by_session ON annotations(session_id, created_at);
      CREATE INDEX annotations_by_status ON annotations(status, created_at);
      CREATE TABLE replies (
        id TEXT PRIMARY KEY,
        annotation_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        author TEXT NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX replies_by_annotation ON replies(annotation_id);
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL,
        session_id TEXT NOT NULL,
        annotation_id TEXT NOT NULL DEFAULT '',
        at INTEGER NOT NULL
      );
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      )sql",
      // 2: who wrote an annotation's newest reply, kept on the row, so that
      // "work waiting" (pending, or open with the user's reply last) is one
      // partial index and no per-row sub-query, and an annotation without
      // replies costs no reply lookup.
      R"sql(
      ALTER TABLE annotations ADD COLUMN last_reply_author TEXT;
      UPDATE annotations SET last_reply_author = (
        SELECT author FROM replies r WHERE r.annotation_id = annotations.id
        ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1);
      CREATE INDEX annotations_waiting ON annotations(created_at)
        WHERE status = 'pending' OR
              (status IN ('acknowledged', 'diff_proposed') AND last_reply_author = 'user');
      CREATE INDEX annotations_waiting_by_session ON annotations(session_id, created_at)
        WHERE status = 'pending' OR
              (status IN ('acknowledged', 'diff_proposed') AND last_reply_author = 'user');
      )sql",
      // 3: how many annotations each session holds, kept by triggers, so the
      // per-session limit checked on every create reads one row instead of
      // counting up to 2 000 index entries. Triggers, not the store's code,
      // so that every writer (any process, import, clear) keeps it right.
      R"sql(
      ALTER TABLE sessions ADD COLUMN annotation_count INTEGER NOT NULL DEFAULT 0;
      UPDATE sessions SET annotation_count =
        (SELECT COUNT(*) FROM annotations a WHERE a.session_id = sessions.id);
      CREATE TRIGGER annotations_count_insert AFTER INSERT ON annotations BEGIN
        UPDATE sessions SET annotation_count = annotation_count + 1 WHERE id = NEW.session_id;
      END;
      CREATE TRIGGER annotations_count_delete AFTER DELETE ON annotations BEGIN
        UPDATE sessions SET annotation_count = annotation_count - 1 WHERE id = OLD.session_id;
      END;
      CREATE TRIGGER annotations_count_move AFTER UPDATE OF session_id ON annotations
        WHEN OLD.session_id IS NOT NEW.session_id BEGIN
        UPDATE sessions SET annotation_count = annotation_count - 1 WHERE id = OLD.session_id;
        UPDATE sessions SET annotation_count = annotation_count + 1 WHERE id = NEW.session_id;
      END;
      )sql",
      // 4: screenshots of an annotation's element (issue 18), as blobs beside
      // it, never inside its JSON: "before" when the user sent it, "after"
      // once the agent's change has landed. One of each at most.
      R"sql(
      CREATE TABLE screenshots (
        annotation_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        data BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (annotation_id, kind)
      );
      )sql",
      // 5 (kProjectKeyVersion): projects (issue 19): one store file can hold several projects, as
      // one PostgreSQL database does; every session, annotation and event
      // carries its project's key and every query names one. Rows written
      // before this belong to the store's default project (meta
      // 'defaultProject', set by Migrate: see AdoptUnkeyedRows). The indexes
      // that lists read in order lead with the project now.
      R"sql(
      ALTER TABLE sessions ADD COLUMN project TEXT NOT NULL DEFAULT '';
      ALTER TABLE annotations ADD COLUMN project TEXT NOT NULL DEFAULT '';
      ALTER TABLE events ADD COLUMN project TEXT NOT NULL DEFAULT '';
      CREATE INDEX sessions_by_project ON sessions(project, created_at);
      CREATE INDEX annotations_by_project ON annotations(project, created_at);
      DROP INDEX annotations_by_session;
      CREATE INDEX annotations_by_session ON annotations(project, session_id, created_at);
      DROP INDEX annotations_waiting_by_session;
      CREATE INDEX annotations_waiting_by_session ON annotations(project, session_id, created_at)
        WHERE status = 'pending' OR
              (status IN ('acknowledged', 'diff_proposed') AND last_reply_author = 'user');
      DROP INDEX annotations_by_status;
      CREATE INDEX annotations_by_status ON annotations(project, status, created_at);
      DROP INDEX annotations_waiting;
      CREATE INDEX annotations_waiting ON annotations(project, created_at)
        WHERE status = 'pending' OR
              (status IN ('acknowledged', 'diff_proposed') AND last_reply_author = 'user');
      CREATE INDEX events_by_project ON events(project, seq);
      )sql",
      // 6: team mode (issue 20): access tokens (store/token.h), the secret's
      // SHA-256 only, never the secret; and who said what, by the name of
      // the token used (NULL in the loopback dev mode).
      R"sql(
      ALTER TABLE annotations ADD COLUMN author_name TEXT;
      ALTER TABLE annotations ADD COLUMN status_by TEXT;
      ALTER TABLE replies ADD COLUMN author_name TEXT;
      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        revoked_at INTEGER,
        project TEXT NOT NULL DEFAULT ''
      );
      )sql",
      // 7: the source ids of preview builds (issue 20; store/build_manifest.h):
      // which file:line:col each `data-nga-id` of a pushed build stands for.
      R"sql(
      CREATE TABLE build_sources (
        build_id TEXT NOT NULL,
        source_id TEXT NOT NULL,
        location TEXT NOT NULL,
        PRIMARY KEY (build_id, source_id)
      ) WITHOUT ROWID;
      )sql",
  };
  return migrations;
}

Result<int> UserVersion(sql::Database& db) {
  auto stmt = db.Prepare("PRAGMA user_version");
  if (!stmt) return stmt.error();
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  int version = *row ? static_cast<int>((*stmt)->Int(0)) : 0;
  (*stmt)->Reset();
  return version;
}

// The store's default project: the one recorded when it was created (or
// first migrated to projects), else `candidate` (the root directory's name),
// now recorded. Recorded once so that renaming or moving the project's
// directory, or reaching it through a symlink, keeps its annotations.
Status RecordDefaultProject(sql::Database& db, std::string_view candidate) {
  auto stmt = db.Prepare("INSERT OR IGNORE INTO meta(key, value) VALUES('defaultProject', ?)");
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, candidate);
  return (*stmt)->Run();
}

// Rows written before migration 5 carry no project key (''): they are the
// default project's.
Status AdoptUnkeyedRows(sql::Database& db) {
  for (const char* table : {"sessions", "annotations", "events"}) {
    auto ok = db.Exec(std::string("UPDATE ") + table +
                      " SET project = (SELECT value FROM meta WHERE key = 'defaultProject') "
                      "WHERE project = ''");
    if (!ok) return ok;
  }
  return Ok{};
}

}  // namespace

int CurrentSchemaVersion() { return static_cast<int>(Migrations().size()); }

int ProjectKeySchemaVersion() { return kProjectKeyVersion; }

Status Migrate(sql::Database& db, std::string_view default_project) {
  return MigrateTo(db, CurrentSchemaVersion(), default_project);
}

Status MigrateTo(sql::Database& db, int target, std::string_view default_project) {
  auto version = UserVersion(db);
  if (!version) return version.error();
  if (*version >= target && *version <= CurrentSchemaVersion()) return Ok{};
  if (*version > CurrentSchemaVersion()) {
    return MakeError(ErrorCode::kStorage,
                     "store: the database has schema version " + std::to_string(*version) +
                         " but this ng-annotate knows only up to " +
                         std::to_string(CurrentSchemaVersion()) + "; upgrade ng-annotate");
  }
  auto tx = sql::Transaction::Begin(db);
  if (!tx) return tx.error();
  // Re-read under the write lock: another process may have migrated meanwhile.
  version = UserVersion(db);
  if (!version) return version.error();
  for (int v = *version; v < target; ++v) {
    if (auto ok = db.Exec(Migrations()[v]); !ok) return ok.error();
  }
  if (target >= kProjectKeyVersion) {
    if (auto ok = RecordDefaultProject(db, default_project); !ok) return ok;
    if (auto ok = AdoptUnkeyedRows(db); !ok) return ok;
  }
  if (auto ok = db.Exec("PRAGMA user_version = " + std::to_string(target)); !ok) {
    return ok.error();
  }
  return tx->Commit();
}

Result<std::string> DefaultProject(sql::Database& db) {
  auto stmt = db.Prepare("SELECT value FROM meta WHERE key = 'defaultProject'");
  if (!stmt) return stmt.error();
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  std::string project = *row ? (*stmt)->Text(0) : "";
  (*stmt)->Reset();
  if (project.empty()) {
    return MakeError(ErrorCode::kStorage,
                     "store: the database records no default project; name one with --project");
  }
  return project;
}

}  // namespace nga
