#pragma once
/// Retention (telemetry.md §5): raw events older than the retention window go, after their day's
/// rollup has been computed. Whole UTC days expire together, so a day is rolled up exactly once,
/// complete.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "domain/telemetry/telemetry_store.hpp"

namespace ferr::domain::telemetry {

/// The UTC midnight before which raw rows expire: the start of today minus `retention_days`.
/// Every row it removes is older than `retention_days` days.
core::TimePoint retention_cutoff(core::TimePoint now, int retention_days);

/// One retention pass (the `purge` command, and the job below).
core::Result<Expiry> expire_old_events(TelemetryStore& store, const core::Clock& clock,
                                       int retention_days);

/// Runs a retention pass at start and then every `period` on its own thread, until destroyed.
class RetentionJob {
 public:
  RetentionJob(TelemetryStore& store, const core::Clock& clock, int retention_days,
               std::chrono::minutes period = std::chrono::minutes(60));
  ~RetentionJob();
  RetentionJob(const RetentionJob&) = delete;
  RetentionJob& operator=(const RetentionJob&) = delete;

 private:
  void run();

  TelemetryStore& store_;
  const core::Clock& clock_;
  int retention_days_;
  std::chrono::minutes period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ferr::domain::telemetry
