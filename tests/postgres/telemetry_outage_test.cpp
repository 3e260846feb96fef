// The telemetry writer across a PostgreSQL outage (issue 7): events emitted while the server is
// down stay queued, their batch is retried past the attempt limit, and they are written once the
// server is back, without recreating anything.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "core/random.hpp"
#include "core/task.hpp"
#include "crypto/keyed_hash.hpp"
#include "domain/telemetry/emitter.hpp"
#include "pg_test_support.hpp"
#include "storage/postgres/database.hpp"
#include "storage/postgres/telemetry_store.hpp"
#include "support/forwarding_store.hpp"
#include "telemetry/server_event.hpp"

namespace ferr::storage::postgres {
namespace {

using namespace std::chrono_literals;
using domain::telemetry::ServerRow;
using domain::telemetry::ServerWrite;

// Counts the writes that failed, so the test can wait until the writer has seen the outage
// (observed, never slept for).
class CountingStore final : public ferr::testing::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  core::Task<core::Result<ServerWrite>> write_server_events(
      std::span<const ServerRow> batch) override {
    auto result = co_await real_.write_server_events(batch);
    if (!result) ++failed_writes;
    co_return result;
  }

  std::atomic<int> failed_writes = 0;
};

bool eventually(const std::function<bool()>& condition, std::chrono::seconds timeout = 30s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

TEST(TelemetryOutage, EventsEmittedWhileTheServerIsDownAreWrittenOnceItIsBack) {
  pgtest::PrivateCluster cluster;
  PoolOptions options;
  options.connection.url = cluster.url();
  options.connection.connect_timeout = 2s;
  options.max_size = 2;
  options.acquire_timeout = 2s;
  pgtest::IoThreads io(1);
  Database db(options);
  ASSERT_TRUE(core::run_to_completion(db.migrate()));
  PgTelemetryStore real(db, {.retention_days = 90, .evidence_cap = 5});
  CountingStore store(real);
  core::SystemClock clock;
  core::SeededRandom random(11);
  core::MetricsRegistry metrics;
  domain::telemetry::EmitterOptions emitter_options;
  emitter_options.attempts = 2;  // an outage must not count against it
  emitter_options.first_backoff = 10ms;
  emitter_options.max_backoff = 50ms;
  // The writer coroutine runs on an I/O thread of its own, as on the application's background
  // loop; declared first, the thread outlives the emitter.
  domain::telemetry::Emitter emitter(store, crypto::TelemetryKey(std::array<std::uint8_t, 32>{}),
                                     clock, random, metrics, emitter_options, io.executor(0));

  cluster.pause();
  core::Uuid user;
  for (std::uint8_t i = 0; i < 10; ++i) {
    user.bytes[15] = i;
    emitter.emit(
        ::ferr::telemetry::ServerEvent::make<"auth.login">().with<"user_hash">(user).with<"method">(
            "password"));
  }
  ASSERT_TRUE(eventually([&] { return store.failed_writes >= 3; }))
      << "the writer tried while the server was down";

  cluster.resume();
  emitter.flush();  // returns once the queued batch is written
  auto counts = core::run_to_completion(real.counts_since(clock.now() - 1h));
  ASSERT_TRUE(counts) << counts.error().log_detail;
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0].event, "auth.login");
  EXPECT_EQ((*counts)[0].count, 10);
  EXPECT_EQ(metrics.counter("telemetry_events_total", "", {{"outcome", "failed"}}).value(), 0u);
  EXPECT_EQ(metrics.counter("telemetry_events_total", "", {{"outcome", "written"}}).value(), 10u);
}

}  // namespace
}  // namespace ferr::storage::postgres
