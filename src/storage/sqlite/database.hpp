#pragma once
/// The SQLite database: one writer connection, a small pool of read-only connections, and the
/// threads that use them.
///
/// SQLite is a blocking library, so it never runs on an I/O thread: a repository method makes
/// one hop to this database's own threads for its whole transaction or read
/// (`co_await db.transaction_async(fn)`) and resumes on its caller's executor. WAL lets readers
/// run beside the single writer. The synchronous `write`/`read`/`transaction` are for the
/// migrator, start-up and tests, and for the bodies the awaitable forms run.
///
/// WAL checkpoints (copying committed pages from the log into the database file, with its
/// fsyncs) mostly run on a connection and thread of their own, once per
/// `WalCheckpoints::background_after_frames` new frames, instead of inside the commit that
/// crossed the threshold, as SQLite's automatic checkpoint would. From half of
/// `writer_after_frames` they run back to back until a few dozen frames are left, which the
/// writer copies itself so that its next transaction can start the log over
/// (`checkpoint_schedule.hpp` says why it takes the writer).

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/blocking_pool.hpp"
#include "core/error.hpp"
#include "core/task.hpp"
#include "storage/sqlite/checkpoint_schedule.hpp"
#include "storage/sqlite/connection.hpp"

namespace ferr::storage::sqlite {

/// Checkpoints run so far.
struct CheckpointCounts {
  std::uint64_t background = 0;
  std::uint64_t by_writer = 0;
};

class Database {
 public:
  /// Opens `path` (`:memory:` for a private in-memory database, whose reads share the writer)
  /// with `readers` read-only connections and readers + 2 threads (the writer's and the
  /// checkpoints'). Creates the parent directory when it is missing.
  static core::Result<std::unique_ptr<Database>> open(const std::string& path, std::size_t readers,
                                                      WalCheckpoints checkpoints = {});
  /// Waits for the work already handed to the database's threads, then closes the connections.
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Runs `fn(Connection&)` on the writer, one caller at a time, on the calling thread.
  template <typename F>
  auto write(F&& fn) {
    std::lock_guard lock(write_mutex_);
    return fn(*writer_);
  }

  /// Runs `fn(Connection&)` on a read-only connection, on the calling thread.
  template <typename F>
  auto read(F&& fn) {
    if (readers_.empty()) return write(std::forward<F>(fn));
    ReaderLease lease(*this);
    return fn(*lease.connection);
  }

  /// Runs `fn(Connection&)` on the writer inside BEGIN IMMEDIATE … COMMIT, on the calling
  /// thread; a failed Result rolls the transaction back.
  template <typename F>
  auto transaction(F&& fn) {
    return write([&](Connection& c) -> decltype(fn(c)) {
      auto tx = Transaction::begin(c);
      if (!tx) return core::fail(tx.error());
      auto result = fn(c);
      if (!result) return result;
      if (auto committed = tx->commit(); !committed) return core::fail(committed.error());
      return result;
    });
  }

  /// `write(fn)` on the writer's thread. `fn` may refer to the awaiting coroutine's locals and
  /// parameters: the coroutine stays suspended until `fn` has returned.
  template <typename F>
  auto write_async(F fn) {
    return core::run_blocking(*writer_thread_,
                              [this, fn = std::move(fn)]() mutable { return write(fn); });
  }
  /// `read(fn)` on a reader's thread (the writer's, for an in-memory database).
  template <typename F>
  auto read_async(F fn) {
    return core::run_blocking(reader_threads_ ? *reader_threads_ : *writer_thread_,
                              [this, fn = std::move(fn)]() mutable { return read(fn); });
  }
  /// `transaction(fn)` on the writer's thread.
  template <typename F>
  auto transaction_async(F fn) {
    return core::run_blocking(*writer_thread_,
                              [this, fn = std::move(fn)]() mutable { return transaction(fn); });
  }

  const std::string& path() const { return path_; }
  /// Waits for the work handed to the database's threads and ends them: at shutdown, before the
  /// event loops that work would resume are destroyed. The awaitable calls must not be used
  /// afterwards.
  void join_threads();
  /// Number of threads that run the awaitable calls and the checkpoints.
  std::size_t threads() const {
    return writer_thread_->size() + (reader_threads_ ? reader_threads_->size() : 0);
  }
  /// The WAL checkpoints run so far, in the background and by the writer.
  CheckpointCounts checkpoints() const {
    return {background_checkpoints_.load(), writer_checkpoints_.load()};
  }

 private:
  struct ReaderLease {
    explicit ReaderLease(Database& db);
    ~ReaderLease();
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    Database& db;
    Connection* connection;
  };

  Database() = default;
  /// The writer's commit hook (sqlite3_wal_hook): schedules or runs a checkpoint.
  static int on_commit(void* self, sqlite3* writer, const char* schema, int frames);
  /// Runs on the pool: a passive checkpoint on the checkpoints' own connection.
  void checkpoint_in_background();
  /// What the latest background checkpoint saw and copied.
  CheckpointPass last_pass() const;

  std::string path_;
  std::mutex write_mutex_;
  std::unique_ptr<Connection> writer_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::mutex readers_mutex_;
  std::condition_variable reader_available_;
  std::vector<Connection*> idle_readers_;
  CheckpointSchedule checkpoint_schedule_{WalCheckpoints{}};  ///< used by the writer's hook
  std::unique_ptr<Connection> checkpointer_;  ///< used by one queued checkpoint at a time
  std::atomic<bool> checkpoint_queued_{false};
  std::atomic<std::uint64_t> last_pass_{0};  ///< CheckpointPass: log frames << 32 | copied frames
  std::atomic<std::uint64_t> background_checkpoints_{0};
  std::atomic<std::uint64_t> writer_checkpoints_{0};
  // Declared last, so they are joined first: no work can touch a closed connection.
  /// The writer's own thread: the writer is used by one caller at a time anyway, so its calls
  /// run one after the other on the same thread, its caches warm, and neither reads nor
  /// checkpoints ever take the thread a commit is waiting for.
  std::unique_ptr<core::BlockingPool> writer_thread_;
  /// One per reader and one for the checkpoints (none for an in-memory database).
  std::unique_ptr<core::BlockingPool> reader_threads_;
};

}  // namespace ferr::storage::sqlite
