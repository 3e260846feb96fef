#pragma once
/// A thin RAII layer over the SQLite C API: connections and prepared statements.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"
#include "core/id.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace ferr::storage::sqlite {

/// A prepared statement; parameters are always bound, never spliced into SQL text.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  /// Binds parameter `index` (1-based).
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind_null(int index);
  /// Binds an id as its canonical text (how ids are stored).
  template <typename Tag>
  Statement& bind(int index, const core::Id<Tag>& id) {
    return bind(index, std::string_view(id.to_string()));
  }
  /// Runs one step: true when a row is available, false when done.
  core::Result<bool> step();
  /// Runs to completion, ignoring rows.
  core::Result<void> run();
  /// Clears bindings and rewinds for the next use (persistent statements).
  void reset();

  std::int64_t column_int(int column) const;
  std::string column_text(int column) const;
  bool column_is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

/// Resets a cached statement when the scope ends, whatever path leaves it.
class StatementScope {
 public:
  explicit StatementScope(Statement& s) : s_(&s) {}
  StatementScope(StatementScope&& other) noexcept : s_(other.s_) { other.s_ = nullptr; }
  StatementScope& operator=(StatementScope&&) = delete;
  ~StatementScope() {
    if (s_) s_->reset();
  }
  Statement* operator->() { return s_; }
  Statement& operator*() { return *s_; }

 private:
  Statement* s_;
};

/// One SQLite connection with its cache of persistent prepared statements.
class Connection {
 public:
  enum class Mode { read_write, read_only };

  /// Opens `path` (creating it in read_write mode) with WAL, foreign keys and a busy timeout.
  static core::Result<std::unique_ptr<Connection>> open(const std::string& path, Mode mode);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Runs SQL without parameters (schema, pragmas, transaction control).
  core::Result<void> exec(std::string_view sql);
  /// The cached statement for `sql`, prepared on first use; reset it after use (StatementScope).
  core::Result<Statement*> prepare(std::string_view sql);
  /// The cached statement for `sql`, reset automatically when the returned scope ends.
  core::Result<StatementScope> query(std::string_view sql);
  /// Rows changed by the last INSERT, UPDATE or DELETE.
  int changes();

  sqlite3* raw() { return db_; }

 private:
  // Looked up by the caller's string_view, without building a std::string on every call.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const noexcept {
      return std::hash<std::string_view>{}(sql);
    }
  };

  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>, SqlHash, std::equal_to<>> statements_;
};

/// A write transaction (BEGIN IMMEDIATE) rolled back unless committed.
class Transaction {
 public:
  static core::Result<Transaction> begin(Connection& c);
  Transaction(Transaction&& other) noexcept : c_(other.c_) { other.c_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  core::Result<void> commit();

 private:
  explicit Transaction(Connection& c) : c_(&c) {}
  Connection* c_;
};

/// A database error for the client (generic) with SQLite's message for the log.
core::Error sqlite_error(sqlite3* db, std::string_view what);

}  // namespace ferr::storage::sqlite
