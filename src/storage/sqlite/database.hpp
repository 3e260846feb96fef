#pragma once
/// The SQLite database: one writer connection and a small pool of read-only connections.
///
/// WAL lets readers run beside the single writer; every call blocks, so callers reach this
/// through `core::run_blocking`, never from an I/O thread.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/sqlite/connection.hpp"

namespace ferr::storage::sqlite {

class Database {
 public:
  /// Opens `path` (`:memory:` for a private in-memory database, whose reads share the writer).
  /// Creates the parent directory when it is missing.
  static core::Result<std::unique_ptr<Database>> open(const std::string& path, std::size_t readers);

  /// Runs `fn(Connection&)` on the writer, one caller at a time.
  template <typename F>
  auto write(F&& fn) {
    std::lock_guard lock(write_mutex_);
    return fn(*writer_);
  }

  /// Runs `fn(Connection&)` on a read-only connection.
  template <typename F>
  auto read(F&& fn) {
    if (readers_.empty()) return write(std::forward<F>(fn));
    ReaderLease lease(*this);
    return fn(*lease.connection);
  }

  const std::string& path() const { return path_; }

 private:
  struct ReaderLease {
    explicit ReaderLease(Database& db);
    ~ReaderLease();
    Database& db;
    Connection* connection;
  };

  Database() = default;

  std::string path_;
  std::mutex write_mutex_;
  std::unique_ptr<Connection> writer_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::mutex readers_mutex_;
  std::condition_variable reader_available_;
  std::vector<Connection*> idle_readers_;
};

}  // namespace ferr::storage::sqlite
