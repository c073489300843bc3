// A small RAII layer over libpq (loaded at run time, see libpq_loader.h).
// Internal to the store: no PGconn* leaves src/store/. PostgreSQL errors
// become nga::Error here, with a message that says what to do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/libpq_loader.h"
#include "util/result.h"

namespace nga::pg {

// Query parameters ($1, $2, ...), all sent as text; nullopt is SQL NULL.
using Params = std::vector<std::optional<std::string>>;

// The rows of one query. Move-only; frees the PGresult.
class Rows {
 public:
  Rows(const LibPq* lib, PGresult* result) : lib_(lib), result_(result) {}
  Rows(Rows&& other) noexcept : lib_(other.lib_), result_(other.result_) {
    other.result_ = nullptr;
  }
  Rows(const Rows&) = delete;
  ~Rows() {
    if (result_) lib_->clear(result_);
  }

  int size() const { return lib_->ntuples(result_); }
  bool empty() const { return size() == 0; }
  std::string Text(int row, int column) const { return lib_->getvalue(result_, row, column); }
  std::int64_t Int(int row, int column) const;
  bool IsNull(int row, int column) const { return lib_->getisnull(result_, row, column) != 0; }
  std::optional<std::string> OptionalText(int row, int column) const {
    if (IsNull(row, column)) return std::nullopt;
    return Text(row, column);
  }
  // Rows changed by an INSERT/UPDATE/DELETE.
  std::int64_t Affected() const;

 private:
  const LibPq* lib_;
  PGresult* result_;
};

// One connection. Not thread-safe; the store confines it to one thread.
class Connection {
 public:
  // Connects (libpq conninfo or a postgres:// URL). connect_timeout is added
  // when the URL has none, so an unreachable server is an error, not a hang.
  static Result<Connection> Open(const std::string& url);
  Connection(Connection&& other) noexcept
      : lib_(other.lib_), conn_(other.conn_), url_(std::move(other.url_)) {
    other.conn_ = nullptr;
  }
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  ~Connection();

  // Runs one or more statements without parameters (DDL, BEGIN, ...).
  Status Exec(std::string_view sql);
  // One statement with parameters.
  Result<Rows> Query(const char* sql, const Params& params = {});

  // Re-establishes a lost connection (a server restart, a dropped socket).
  // True when the connection is usable afterwards.
  bool EnsureConnected();
  bool connected() const;
  // Double-quotes a name for LISTEN and friends.
  std::string QuoteIdentifier(std::string_view name) const;

  const LibPq& lib() const { return *lib_; }
  PGconn* raw() const { return conn_; }

 private:
  Connection(const LibPq* lib, PGconn* conn, std::string url)
      : lib_(lib), conn_(conn), url_(std::move(url)) {}
  Error ToError(PGresult* result, std::string_view doing) const;
  const LibPq* lib_;
  PGconn* conn_;
  std::string url_;
};

// BEGIN ... COMMIT; rolls back if not committed. Begun while a transaction
// is already open (a group commit's batch), it is a SAVEPOINT instead:
// Commit() releases it into the outer transaction, and dropping it
// uncommitted rolls back this change alone.
class Transaction {
 public:
  static Result<Transaction> Begin(Connection& conn, bool nested);
  Transaction(Transaction&& other) noexcept : conn_(other.conn_), nested_(other.nested_) {
    other.conn_ = nullptr;
  }
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Status Commit();

 private:
  Transaction(Connection* conn, bool nested) : conn_(conn), nested_(nested) {}
  Connection* conn_;
  bool nested_;
};

// Whether `location` names a PostgreSQL store (postgres:// or postgresql://).
bool IsPostgresUrl(std::string_view location);

}  // namespace nga::pg
