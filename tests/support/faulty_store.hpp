#pragma once
// A telemetry store that fails every write, or holds every write until released: fault
// injection for the suites that prove telemetry failures change no answer they must not.

#include <condition_variable>
#include <mutex>
#include <span>
#include <vector>

#include "support/forwarding_store.hpp"

namespace ferr::testing {

class FaultyStore final : public ForwardingStore {
 public:
  enum class Mode { fail, stall };
  FaultyStore(domain::telemetry::TelemetryStore& real, Mode mode)
      : ForwardingStore(real), mode_(mode) {}
  ~FaultyStore() override { release(); }

  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    cv_.notify_all();
  }
  core::Task<core::Result<domain::telemetry::ServerWrite>> write_server_events(
      std::span<const domain::telemetry::ServerRow> batch) override {
    if (mode_ == Mode::fail) co_return core::fail(core::Error::database("injected: disk full"));
    {
      // A stalled database as the writer sees it: its write does not come back. Holding the
      // writer's own thread is enough here (nothing else the tests watch runs there).
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return released_; });
    }
    co_return co_await real_.write_server_events(batch);
  }
  core::Task<core::Result<std::vector<bool>>> write_ingested(
      std::span<const domain::telemetry::EventRow> rows) override {
    if (mode_ == Mode::fail) co_return core::fail(core::Error::database("injected: disk full"));
    co_return co_await real_.write_ingested(rows);
  }

 private:
  Mode mode_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool released_ = false;
};

}  // namespace ferr::testing
