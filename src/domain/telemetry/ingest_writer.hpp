#pragma once
/// Group commit for ingestion (telemetry.md §4): concurrent requests hand their validated rows to
/// one writer thread, which stores everything that has arrived in one transaction and then tells
/// each request which of its rows were new. An answer is sent only after its rows are durable,
/// and many requests share one commit.

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "domain/telemetry/telemetry_store.hpp"

namespace ferr::domain::telemetry {

class IngestWriter {
 public:
  /// Receives, after commit, true for each inserted row and false for each duplicate; or the
  /// error that kept the rows from being stored. Runs on the writer thread: return quickly.
  using Done = std::function<void(core::Result<std::vector<bool>>)>;

  explicit IngestWriter(TelemetryStore& store, std::size_t max_rows_per_commit = 4096);
  ~IngestWriter();
  IngestWriter(const IngestWriter&) = delete;
  IngestWriter& operator=(const IngestWriter&) = delete;

  /// Queues `rows` for the next commit. After stop(), `done` gets SERVICE_UNAVAILABLE at once.
  void submit(std::vector<EventRow> rows, Done done);
  /// Writes everything already submitted, then stops the thread.
  void stop();

 private:
  struct Submission {
    std::vector<EventRow> rows;
    Done done;
  };
  void run();

  TelemetryStore& store_;
  std::size_t max_rows_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Submission> pending_;
  bool stopping_ = false;
  bool writer_sleeping_ = false;  ///< the writer waits on `wake_` (guarded by `mutex_`)
  std::thread writer_;
};

}  // namespace ferr::domain::telemetry
