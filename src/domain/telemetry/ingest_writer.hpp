#pragma once
/// Group commit for ingestion (telemetry.md §4), with no writer thread: the requests commit for
/// each other. The first request to arrive while no commit is running becomes the leader: it
/// stores its own rows together with those of every request waiting at that moment, in one
/// transaction, hands each its outcome, and passes the lead to the first request that arrived
/// during its commit (the write-group leader of RocksDB and MySQL's binary-log group commit).
/// An answer is sent only after its rows are durable, and many requests share one commit.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "core/completion.hpp"
#include "core/error.hpp"
#include "core/task.hpp"
#include "domain/telemetry/telemetry_store.hpp"

namespace ferr::domain::telemetry {

class IngestWriter {
 public:
  explicit IngestWriter(TelemetryStore& store, std::size_t max_rows_per_commit = 4096);
  IngestWriter(const IngestWriter&) = delete;
  IngestWriter& operator=(const IngestWriter&) = delete;

  /// Stores `rows` in the next group commit and returns once it is durable: true for each
  /// inserted row and false for each duplicate, or the error that kept them from being stored.
  /// After stop(): SERVICE_UNAVAILABLE at once.
  core::Task<core::Result<std::vector<bool>>> write(std::vector<EventRow> rows);
  /// Refuses new writes and waits (blocking; at shutdown, once no request is in flight) until
  /// no commit runs.
  void stop();

 private:
  /// One request's rows; its outcome, or nullopt when it is handed the lead instead.
  struct Waiter {
    std::vector<EventRow> rows;
    core::Completion<std::optional<core::Result<std::vector<bool>>>> done;
  };

  /// Commits the group at the head of the queue (whose first member is the caller) and returns
  /// the caller's outcome.
  core::Task<core::Result<std::vector<bool>>> lead(const std::shared_ptr<Waiter>& self);

  TelemetryStore& store_;
  std::size_t max_rows_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::deque<std::shared_ptr<Waiter>> pending_;  ///< in arrival order; the leader's is first
  bool leading_ = false;                         ///< a leader exists (committing or handed over)
  bool stopping_ = false;
};

}  // namespace ferr::domain::telemetry
