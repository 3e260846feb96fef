#include "storage/sqlite/connection.hpp"

#include <sqlite3.h>

#include "core/try.hpp"
#include "storage/sqlite/wal_write_gathering.hpp"

namespace ferr::storage::sqlite {

core::Error sqlite_error(sqlite3* db, std::string_view what) {
  int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  std::string detail = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "no connection");
  // A locked or busy database after the busy timeout is a transient outage, not a bug.
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
    core::Error e{core::ErrorCode::service_unavailable, "the database is busy, retry shortly"};
    e.retry_after_seconds = 1;
    e.log_detail = std::move(detail);
    return e;
  }
  return core::Error::database(std::move(detail));
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

core::Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return core::fail(sqlite_error(db_, "step"));
}

core::Result<void> Statement::run() {
  for (;;) {
    FERR_TRY(bool row, step());
    if (!row) return {};
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

core::Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, Mode mode) {
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
  flags |= mode == Mode::read_write ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
                                    : SQLITE_OPEN_READONLY;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags, wal_write_gathering_vfs()) != SQLITE_OK) {
    core::Error e = sqlite_error(db, "open " + path);
    sqlite3_close(db);
    return core::fail(std::move(e));
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_busy_timeout(db, 5000);
  sqlite3_extended_result_codes(db, 1);
  const char* pragmas =
      mode == Mode::read_write
          ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
          : "PRAGMA foreign_keys=ON;";
  FERR_CHECK(conn->exec(pragmas));
  return conn;
}

Connection::~Connection() {
  statements_.clear();  // finalize before closing
  sqlite3_close(db_);
}

core::Result<void> Connection::exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    sqlite3_free(message);
    return core::fail(sqlite_error(db_, "exec"));
  }
  return {};
}

core::Result<Statement*> Connection::prepare(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second.get();
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK)
    return core::fail(sqlite_error(db_, "prepare"));
  auto [inserted, _] =
      statements_.emplace(std::string(sql), std::make_unique<Statement>(db_, stmt));
  return inserted->second.get();
}

core::Result<StatementScope> Connection::query(std::string_view sql) {
  FERR_TRY(Statement * statement, prepare(sql));
  return StatementScope(*statement);
}

int Connection::changes() { return sqlite3_changes(db_); }

// BEGIN and COMMIT run once per transaction: cached statements, like any other, rather than
// text that sqlite3_exec would parse and prepare every time.
core::Result<Transaction> Transaction::begin(Connection& c) {
  FERR_TRY(auto begin, c.query("BEGIN IMMEDIATE"));
  FERR_CHECK(begin->run());
  return Transaction(c);
}

Transaction::~Transaction() {
  if (c_) (void)c_->exec("ROLLBACK");
}

core::Result<void> Transaction::commit() {
  FERR_TRY(auto commit, c_->query("COMMIT"));
  auto r = commit->run();
  if (r) c_ = nullptr;
  return r;
}

}  // namespace ferr::storage::sqlite
