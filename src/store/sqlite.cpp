#include "store/sqlite.h"

#include <memory>
#include <string>
#include <unordered_map>

namespace nga::sql {

Error ToError(sqlite3* db, int rc, std::string_view doing) {
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string message = "store: " + std::string(doing) + " failed: " + detail;
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      message += " (another process held the store too long; try again)";
      break;
    case SQLITE_FULL:
      message += " (the disk is full)";
      break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      message += " (the store file is damaged; move .ng-annotate/store.db aside)";
      break;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      message += " (check the permissions of the .ng-annotate directory)";
      break;
    default:
      break;
  }
  return MakeError(ErrorCode::kStorage, std::move(message));
}

struct Database::Cache {
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements;
};

Result<Database> Database::Open(const std::string& path, int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = ToError(raw, rc, "opening " + path);
    sqlite3_close(raw);
    return error;
  }
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  sqlite3_extended_result_codes(raw, 1);
  Database db(raw);
  db.cache_ = new Cache();
  return db;
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    this->~Database();
    db_ = other.db_;
    cache_ = other.cache_;
    other.db_ = nullptr;
    other.cache_ = nullptr;
  }
  return *this;
}

Database::~Database() {
  delete cache_;  // finalizes cached statements before the connection closes
  cache_ = nullptr;
  if (db_) sqlite3_close(db_);
  db_ = nullptr;
}

Status Database::Exec(std::string_view sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK)
    return ToError(db_, rc, "running \"" + std::string(sql.substr(0, 40)) + "\"");
  return Ok{};
}

Result<Statement*> Database::Prepare(std::string_view sql) {
  std::string key(sql);
  auto it = cache_->statements.find(key);
  if (it != cache_->statements.end()) {
    it->second->Reset();
    return it->second.get();
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return ToError(db_, rc, "preparing a query");
  auto owned = std::make_unique<Statement>(db_, stmt);
  Statement* ptr = owned.get();
  cache_->statements.emplace(std::move(key), std::move(owned));
  return ptr;
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::string>& text) {
  return text ? Bind(index, std::string_view(*text)) : BindNull(index);
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error error = ToError(db_, rc, "a query");
  Reset();
  return error;
}

Status Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row) return row.error();
    if (!*row) break;
  }
  Reset();
  return Ok{};
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::Text(int column) const {
  auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (!data) return {};
  return std::string(data, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Statement::Blob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  if (!data) return {};
  return std::string(static_cast<const char*>(data),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

namespace {
// A savepoint per change of a batch: prepared once, not parsed each time.
Status Run(Database& db, std::string_view sql) {
  auto stmt = db.Prepare(sql);
  if (!stmt) return stmt.error();
  return (*stmt)->Run();
}
}  // namespace

Result<Transaction> Transaction::Begin(Database& db) {
  // Inside an open transaction (a group commit's batch): a savepoint, so
  // that this change alone can be rolled back.
  bool nested = sqlite3_get_autocommit(db.raw()) == 0;
  auto begun = nested ? Run(db, "SAVEPOINT nga_change") : db.Exec("BEGIN IMMEDIATE");
  if (!begun) return begun.error();
  return Transaction(&db, nested);
}

Transaction::~Transaction() {
  if (!db_) return;
  if (nested_) {
    (void)db_->Exec("ROLLBACK TO nga_change; RELEASE nga_change");
  } else {
    (void)db_->Exec("ROLLBACK");
  }
}

Status Transaction::Commit() {
  Database* db = db_;
  db_ = nullptr;
  if (nested_) {
    auto done = Run(*db, "RELEASE nga_change");
    if (!done) (void)db->Exec("ROLLBACK TO nga_change; RELEASE nga_change");
    return done;
  }
  auto done = db->Exec("COMMIT");
  if (!done) (void)db->Exec("ROLLBACK");
  return done;
}

}  // namespace nga::sql
