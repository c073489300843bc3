#include "store/pg.h"

#include <charconv>
#include <optional>

namespace nga::pg {

namespace {

// The server's SQLSTATE classes that mean "the connection is gone or the
// server is not there": the caller may simply try again later.
bool IsConnectionLoss(const char* sqlstate) {
  if (!sqlstate) return true;  // no server reply at all
  std::string_view state(sqlstate);
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03";
}

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// libpq prints NOTICEs (e.g. "relation already exists, skipping") to stderr
// by default; the store has nothing to tell the user about them.
void IgnoreNotice(void*, const char*) {}

}  // namespace

bool IsPostgresUrl(std::string_view location) {
  return location.starts_with("postgres://") || location.starts_with("postgresql://");
}

std::int64_t Rows::Int(int row, int column) const {
  const char* text = lib_->getvalue(result_, row, column);
  std::int64_t value = 0;
  std::string_view view(text);
  std::from_chars(view.data(), view.data() + view.size(), value);
  return value;
}

std::int64_t Rows::Affected() const {
  const char* text = lib_->cmdTuples(result_);
  std::int64_t value = 0;
  std::string_view view(text);
  std::from_chars(view.data(), view.data() + view.size(), value);
  return value;
}

Result<Connection> Connection::Open(const std::string& url) {
  auto lib = LoadLibPq();
  if (!lib) return lib.error();
  std::string full = url;
  if (full.find("connect_timeout=") == std::string::npos) {
    full += (full.find('?') == std::string::npos ? "?" : "&");
    full += "connect_timeout=5";
  }
  PGconn* conn = (*lib)->connectdb(full.c_str());
  if (!conn || (*lib)->status(conn) != CONNECTION_OK) {
    std::string why = conn ? Trim((*lib)->errorMessage(conn)) : "out of memory";
    if (conn) (*lib)->finish(conn);
    return MakeError(ErrorCode::kStorage,
                     "store: cannot connect to PostgreSQL: " + why +
                         " (check the --store URL / NG_ANNOTATE_STORE and that the server runs)");
  }
  (*lib)->setNoticeProcessor(conn, IgnoreNotice, nullptr);
  return Connection(*lib, conn, std::move(full));
}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (conn_) lib_->finish(conn_);
    lib_ = other.lib_;
    conn_ = other.conn_;
    url_ = std::move(other.url_);
    next_attempt_ = other.next_attempt_;
    other.conn_ = nullptr;
  }
  return *this;
}

void Connection::Replace(PGconn* conn) {
  if (conn_) lib_->finish(conn_);
  conn_ = conn;
  if (conn_) lib_->setNoticeProcessor(conn_, IgnoreNotice, nullptr);
}

Connection::~Connection() {
  if (conn_) lib_->finish(conn_);
}

bool Connection::connected() const { return conn_ && lib_->status(conn_) == CONNECTION_OK; }

bool Connection::EnsureConnected() {
  if (connected()) return true;
  auto started = std::chrono::steady_clock::now();
  if (started < next_attempt_) return false;  // a slow attempt failed a moment ago
  // PQreset reconnects with the same parameters (bounded by connect_timeout).
  lib_->reset(conn_);
  if (!connected()) {
    // A refused connection fails in microseconds: the next request tries
    // again. One that waited (an unreachable host) is not retried for a
    // while, so that requests are not each held up by it.
    auto ended = std::chrono::steady_clock::now();
    if (ended - started >= kSlowConnect) next_attempt_ = ended + kReconnectBackoff;
    return false;
  }
  lib_->setNoticeProcessor(conn_, IgnoreNotice, nullptr);
  return true;
}

std::string Connection::QuoteIdentifier(std::string_view name) const {
  char* quoted = lib_->escapeIdentifier(conn_, name.data(), name.size());
  if (!quoted) return "\"\"";
  std::string out(quoted);
  lib_->freemem(quoted);
  return out;
}

Error Connection::ToError(PGresult* result, std::string_view doing) const {
  const char* sqlstate = result ? lib_->resultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string detail = Trim(result ? lib_->resultErrorMessage(result) : lib_->errorMessage(conn_));
  if (detail.empty()) detail = Trim(lib_->errorMessage(conn_));
  std::string message = "store: " + std::string(doing) + " failed: " + detail;
  if (!connected() || IsConnectionLoss(sqlstate)) {
    message =
        "store: PostgreSQL is unreachable (" + detail +
        "); nothing was changed by this request, and the connection is retried on the next one";
  }
  return MakeError(ErrorCode::kStorage, std::move(message));
}

Status Connection::Exec(std::string_view sql) {
  if (!EnsureConnected()) return ToError(nullptr, "connecting");
  std::string text(sql);
  PGresult* result = lib_->exec(conn_, text.c_str());
  ExecStatusType status = result ? lib_->resultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error error = ToError(result, "a query");
    if (result) lib_->clear(result);
    return error;
  }
  lib_->clear(result);
  return Ok{};
}

Result<Rows> Connection::Query(const char* sql, const Params& params) {
  if (!EnsureConnected()) return ToError(nullptr, "connecting");
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* result = lib_->execParams(conn_, sql, static_cast<int>(values.size()), nullptr,
                                      values.data(), nullptr, nullptr, 0);
  ExecStatusType status = result ? lib_->resultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error error = ToError(result, "a query");
    if (result) lib_->clear(result);
    return error;
  }
  return Rows(lib_, result);
}

Result<std::vector<Rows>> Connection::Pipeline(const std::vector<Statement>& statements) {
  if (!EnsureConnected()) return ToError(nullptr, "connecting");
  if (lib_->enterPipelineMode(conn_) != 1) return ToError(nullptr, "entering pipeline mode");
  bool sent = true;
  for (const auto& statement : statements) {
    std::vector<const char*> values;
    values.reserve(statement.params.size());
    for (const auto& p : statement.params) values.push_back(p ? p->c_str() : nullptr);
    if (lib_->sendQueryParams(conn_, statement.sql.c_str(), static_cast<int>(values.size()),
                              nullptr, values.data(), nullptr, nullptr, 0) != 1) {
      sent = false;
      break;
    }
  }
  if (sent && lib_->pipelineSync(conn_) != 1) sent = false;
  Result<std::vector<Rows>> rows = sent ? ReadPipeline(statements.size())
                                        : Result<std::vector<Rows>>(ToError(nullptr, "sending"));
  if (lib_->exitPipelineMode(conn_) != 1) {
    // Results still queued (a lost connection mid-read): drop them.
    while (PGresult* left = lib_->getResult(conn_)) lib_->clear(left);
    (void)lib_->exitPipelineMode(conn_);
  }
  return rows;
}

Result<std::vector<Rows>> Connection::ReadPipeline(std::size_t statements) {
  // Each statement's results end with a null; the sync point ends them all.
  // Two nulls in a row mean the stream ended early (the connection broke).
  std::vector<Rows> out;
  std::optional<Error> failed;
  bool after_null = false;
  while (true) {
    PGresult* result = lib_->getResult(conn_);
    if (!result) {
      if (after_null) break;
      after_null = true;
      continue;
    }
    after_null = false;
    ExecStatusType status = lib_->resultStatus(result);
    if (status == PGRES_PIPELINE_SYNC) {
      lib_->clear(result);
      break;
    }
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      out.emplace_back(lib_, result);
      continue;
    }
    // The first failure is the error; the aborted ones after it say nothing.
    if (!failed) failed = ToError(status == PGRES_PIPELINE_ABORTED ? nullptr : result, "a query");
    lib_->clear(result);
  }
  if (failed) return *failed;
  if (out.size() != statements) return ToError(nullptr, "a pipeline");
  return out;
}

Result<Transaction> Transaction::Begin(Connection& conn, bool nested, const Statement* first,
                                       std::optional<Rows>* first_rows) {
  if (!first) {
    if (auto ok = conn.Exec(nested ? "SAVEPOINT change" : "BEGIN"); !ok) return ok.error();
    return Transaction(&conn, nested);
  }
  auto rows = conn.Pipeline({{nested ? "SAVEPOINT change" : "BEGIN", {}}, *first});
  if (!rows) {
    (void)conn.Exec(nested ? "ROLLBACK TO SAVEPOINT change; RELEASE SAVEPOINT change" : "ROLLBACK");
    return rows.error();
  }
  if (first_rows) first_rows->emplace(std::move(rows->back()));
  return Transaction(&conn, nested);
}

Transaction::~Transaction() {
  if (!conn_) return;
  if (nested_) {
    (void)conn_->Exec("ROLLBACK TO SAVEPOINT change; RELEASE SAVEPOINT change");
  } else {
    (void)conn_->Exec("ROLLBACK");
  }
}

Status Transaction::Commit(const std::vector<Statement>& before) {
  Connection* conn = conn_;
  conn_ = nullptr;
  const char* end = nested_ ? "RELEASE SAVEPOINT change" : "COMMIT";
  if (before.empty()) {
    auto done = conn->Exec(end);
    if (!done && !nested_) (void)conn->Exec("ROLLBACK");
    return done;
  }
  std::vector<Statement> all = before;
  all.push_back({end, {}});
  auto done = conn->Pipeline(all);
  if (done) return Ok{};
  (void)conn->Exec(nested_ ? "ROLLBACK TO SAVEPOINT change; RELEASE SAVEPOINT change" : "ROLLBACK");
  return done.error();
}

}  // namespace nga::pg
