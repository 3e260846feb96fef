#pragma once
// A telemetry store that fails every write, or holds every write until released: fault
// injection for the suites that prove telemetry failures change no answer they must not.

#include <condition_variable>
#include <mutex>
#include <span>
#include <vector>

#include "domain/telemetry/telemetry_store.hpp"

namespace ferr::testing {

class FaultyStore final : public domain::telemetry::TelemetryStore {
 public:
  enum class Mode { fail, stall };
  FaultyStore(domain::telemetry::TelemetryStore& real, Mode mode) : real_(real), mode_(mode) {}
  ~FaultyStore() override { release(); }

  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    cv_.notify_all();
  }
  core::Result<domain::telemetry::ServerWrite> write_server_events(
      std::span<const domain::telemetry::ServerRow> batch) override {
    if (mode_ == Mode::fail) return core::fail(core::Error::database("injected: disk full"));
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return released_; });
    return real_.write_server_events(batch);
  }
  core::Result<std::vector<bool>> write_ingested(
      std::span<const domain::telemetry::EventRow> rows) override {
    if (mode_ == Mode::fail) return core::fail(core::Error::database("injected: disk full"));
    return real_.write_ingested(rows);
  }
  core::Result<domain::telemetry::Expiry> expire_before(core::TimePoint before) override {
    return real_.expire_before(before);
  }
  core::Result<std::vector<domain::telemetry::DayCount>> daily_counts(core::TimePoint from,
                                                                      core::TimePoint to) override {
    return real_.daily_counts(from, to);
  }
  core::Result<std::vector<domain::telemetry::EventCount>> counts_since(
      core::TimePoint since) override {
    return real_.counts_since(since);
  }

 private:
  domain::telemetry::TelemetryStore& real_;
  Mode mode_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool released_ = false;
};

}  // namespace ferr::testing
