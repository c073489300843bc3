// A small RAII layer over libpq (loaded at run time, see libpq_loader.h).
// Internal to the store: no PGconn* leaves src/store/. PostgreSQL errors
// become nga::Error here, with a message that says what to do.
#pragma once

#include <chrono>
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

// One statement of a pipeline (Connection::Pipeline).
struct Statement {
  std::string sql;
  Params params;
};

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
      : lib_(other.lib_),
        conn_(other.conn_),
        url_(std::move(other.url_)),
        next_attempt_(other.next_attempt_) {
    other.conn_ = nullptr;
  }
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  ~Connection();

  // Runs one or more statements without parameters (DDL, BEGIN, ...).
  Status Exec(std::string_view sql);
  // One statement with parameters.
  Result<Rows> Query(const char* sql, const Params& params = {});
  // Several statements in one round trip (libpq's pipeline mode): all are
  // sent, then all results read. Returns each statement's rows, in order, or
  // the error of the first that failed (the server skips the ones after it;
  // an open transaction is then aborted and must be rolled back).
  Result<std::vector<Rows>> Pipeline(const std::vector<Statement>& statements);

  // Re-establishes a lost connection (a server restart, a dropped socket).
  // True when the connection is usable afterwards. After an attempt that
  // failed slowly (kSlowConnect or more: an unreachable host, up to
  // connect_timeout) the next one waits kReconnectBackoff, so that while the
  // server is unreachable each request fails at once with a clear error
  // instead of each one waiting for a connect. A refused connection (the
  // server down, its host up) is retried by the very next request.
  bool EnsureConnected();
  bool connected() const;
  // Double-quotes a name for LISTEN and friends.
  std::string QuoteIdentifier(std::string_view name) const;

  const LibPq& lib() const { return *lib_; }
  PGconn* raw() const { return conn_; }
  const std::string& url() const { return url_; }
  // Puts in a connection made elsewhere (the change feed connects without
  // blocking, see pg_change_feed.cpp); the old one is closed.
  void Replace(PGconn* conn);

 private:
  Connection(const LibPq* lib, PGconn* conn, std::string url)
      : lib_(lib), conn_(conn), url_(std::move(url)) {}
  Error ToError(PGresult* result, std::string_view doing) const;
  // Reads a pipeline's results up to its sync point.
  Result<std::vector<Rows>> ReadPipeline(std::size_t statements);
  const LibPq* lib_;
  PGconn* conn_;
  std::string url_;
  std::chrono::steady_clock::time_point next_attempt_{};
};

// How long a failed reconnect may take before the next ones are held back
// for kReconnectBackoff (see EnsureConnected).
inline constexpr std::chrono::milliseconds kSlowConnect{100};
inline constexpr std::chrono::milliseconds kReconnectBackoff{1000};

// BEGIN ... COMMIT; rolls back if not committed. Begun while a transaction
// is already open (a group commit's batch), it is a SAVEPOINT instead:
// Commit() releases it into the outer transaction, and dropping it
// uncommitted rolls back this change alone.
class Transaction {
 public:
  // `first`: a statement run right after BEGIN in the same round trip (the
  // store's project lock); its rows are put in *first_rows.
  static Result<Transaction> Begin(Connection& conn, bool nested, const Statement* first = nullptr,
                                   std::optional<Rows>* first_rows = nullptr);
  Transaction(Transaction&& other) noexcept : conn_(other.conn_), nested_(other.nested_) {
    other.conn_ = nullptr;
  }
  Transaction(const Transaction&) = delete;
  ~Transaction();
  // `before`: statements run just before COMMIT (or RELEASE), in the same
  // round trip (the store's NOTIFY).
  Status Commit(const std::vector<Statement>& before = {});

 private:
  Transaction(Connection* conn, bool nested) : conn_(conn), nested_(nested) {}
  Connection* conn_;
  bool nested_;
};

// Whether `location` names a PostgreSQL store (postgres:// or postgresql://).
bool IsPostgresUrl(std::string_view location);

}  // namespace nga::pg
