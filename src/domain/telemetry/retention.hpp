#pragma once
/// Retention (telemetry.md §5): raw events older than the retention window go, after their day's
/// rollup has been computed. Whole UTC days expire together, so a day is rolled up exactly once,
/// complete.

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/task.hpp"
#include "core/wakeup.hpp"
#include "domain/telemetry/telemetry_store.hpp"

namespace ferr::domain::telemetry {

/// The UTC midnight before which raw rows expire: the start of today minus `retention_days`.
/// Every row it removes is older than `retention_days` days.
core::TimePoint retention_cutoff(core::TimePoint now, int retention_days);

/// One retention pass (the `purge` command, and the job below).
core::Task<core::Result<Expiry>> expire_old_events(TelemetryStore& store, const core::Clock& clock,
                                                   int retention_days);

/// Runs a retention pass at start and then every `period`, as a coroutine on `executor` (which
/// must run on one thread at a time), until stopped.
class RetentionJob {
 public:
  RetentionJob(TelemetryStore& store, const core::Clock& clock, int retention_days,
               core::Executor executor, std::chrono::minutes period = std::chrono::minutes(60));
  /// Stops the job (see stop()).
  ~RetentionJob();
  RetentionJob(const RetentionJob&) = delete;
  RetentionJob& operator=(const RetentionJob&) = delete;

  /// Ends the job once its pass in flight (if any) is done; blocks until then.
  void stop();

 private:
  core::Task<void> run();

  TelemetryStore& store_;
  const core::Clock& clock_;
  int retention_days_;
  std::chrono::minutes period_;
  std::mutex mutex_;
  std::condition_variable finished_;
  bool stopping_ = false;
  bool running_ = true;
  core::Wakeup wakeup_;
};

}  // namespace ferr::domain::telemetry
