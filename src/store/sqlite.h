// A small RAII layer over SQLite's C API. Internal to the store: no sqlite3*
// leaves src/store/. SQLite errors become nga::Error in one place (ToError).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace nga::sql {

// Maps an SQLite result code (and the connection's message) to our error.
Error ToError(sqlite3* db, int rc, std::string_view doing);

class Statement;

// One connection. Not thread-safe; the store confines it to one thread.
class Database {
 public:
  static Result<Database> Open(const std::string& path, int busy_timeout_ms);
  Database(Database&& other) noexcept : db_(other.db_), cache_(other.cache_) {
    other.db_ = nullptr;
    other.cache_ = nullptr;
  }
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  ~Database();

  // Runs one or more statements that return no rows.
  Status Exec(std::string_view sql);
  // A prepared statement; cached, so preparing the same text again is cheap.
  Result<Statement*> Prepare(std::string_view sql);
  int Changes() const { return sqlite3_changes(db_); }
  sqlite3* raw() const { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
  struct Cache;
  Cache* cache_ = nullptr;
};

// A prepared statement, reset and cleared of bindings on each Run/Step cycle.
class Statement {
 public:
  explicit Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;

  // Binds positional parameters (1-based) fluently.
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, const std::optional<std::string>& text);
  Statement& BindNull(int index);
  // Bytes as a BLOB (an image), not text.
  Statement& BindBlob(int index, std::string_view bytes);

  // Steps once: true when a row is available, false when done.
  Result<bool> Step();
  // Steps to completion (for statements that return no rows).
  Status Run();
  // Ready for the next use.
  void Reset();

  std::int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const;
  std::optional<std::string> OptionalText(int column) const;
  std::string Blob(int column) const;
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back if not committed. IMMEDIATE takes the
// write lock up front so two processes never deadlock upgrading a read lock.
// Begun while a transaction is already open (a group commit's batch), it is
// a SAVEPOINT instead: Commit() releases it into the outer transaction, and
// dropping it uncommitted rolls back this change alone.
class Transaction {
 public:
  static Result<Transaction> Begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_), nested_(other.nested_) {
    other.db_ = nullptr;
  }
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Status Commit();

 private:
  Transaction(Database* db, bool nested) : db_(db), nested_(nested) {}
  Database* db_;
  bool nested_;
};

}  // namespace nga::sql
