#pragma once
/// Group commit for ingestion (telemetry.md §4), with no writer thread: the requests commit for
/// each other. The first request to arrive while no commit is running becomes the leader: it
/// stores its own rows together with those of every request waiting at that moment, in one
/// transaction, hands each its outcome, and passes the lead to the first request that arrived
/// during its commit (the write-group leader of RocksDB and MySQL's binary-log group commit).
/// An answer is sent only after its rows are durable, and many requests share one commit.
///
/// A store that runs transactions in parallel (PostgreSQL) is given several lanes: each is such
/// a group with a leader of its own, requests take the lanes in turn, and up to that many commits
/// run at once. SQLite, with one writer, has one.

#include <atomic>
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

/// How requests are grouped.
struct GroupCommits {
  std::size_t lanes = 1;        ///< groups that commit independently (see the file comment)
  std::size_t max_rows = 4096;  ///< a group takes whole requests up to this many rows
};

class IngestWriter {
 public:
  explicit IngestWriter(TelemetryStore& store, GroupCommits groups = {});
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

  /// One group commit: its queue and whether it has a leader.
  struct Lane {
    std::mutex mutex;
    std::condition_variable idle;
    std::deque<std::shared_ptr<Waiter>> pending;  ///< in arrival order; the leader's is first
    bool leading = false;                         ///< a leader exists (committing or handed over)
    bool stopping = false;
  };

  /// Commits the group at the head of `lane`'s queue (whose first member is the caller) and
  /// returns the caller's outcome.
  core::Task<core::Result<std::vector<bool>>> lead(Lane& lane, const std::shared_ptr<Waiter>& self);

  TelemetryStore& store_;
  std::size_t max_rows_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::atomic<std::size_t> next_lane_{0};
};

}  // namespace ferr::domain::telemetry
