#include "store/pg.h"

#include <charconv>

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
    other.conn_ = nullptr;
  }
  return *this;
}

Connection::~Connection() {
  if (conn_) lib_->finish(conn_);
}

bool Connection::connected() const { return conn_ && lib_->status(conn_) == CONNECTION_OK; }

bool Connection::EnsureConnected() {
  if (connected()) return true;
  // PQreset reconnects with the same parameters (bounded by connect_timeout).
  lib_->reset(conn_);
  if (!connected()) return false;
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

Result<Transaction> Transaction::Begin(Connection& conn, bool nested) {
  if (auto ok = conn.Exec(nested ? "SAVEPOINT change" : "BEGIN"); !ok) return ok.error();
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

Status Transaction::Commit() {
  Connection* conn = conn_;
  conn_ = nullptr;
  if (nested_) return conn->Exec("RELEASE SAVEPOINT change");
  auto done = conn->Exec("COMMIT");
  if (!done) (void)conn->Exec("ROLLBACK");
  return done;
}

}  // namespace nga::pg
