// The emitter against an in-memory store: batching, flush, a full queue, bounded retries and the
// drain at shutdown.

#include "domain/telemetry/emitter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace ferr::domain::telemetry {
namespace {

using namespace std::chrono_literals;
using ::ferr::telemetry::ServerEvent;

// Records what is written; can fail the next N writes, hold writes until released, and opt
// subjects out.
class MemoryStore final : public TelemetryStore {
 public:
  core::Result<ServerWrite> write_server_events(std::span<const ServerRow> batch) override {
    std::unique_lock lock(mutex_);
    ++write_calls;
    cv_.wait(lock, [&] { return !held_; });
    if (failures_left > 0) {
      --failures_left;
      return core::fail(core::Error::database("injected"));
    }
    if (outages_left > 0) {
      --outages_left;
      core::Error outage{core::ErrorCode::service_unavailable, "injected outage"};
      outage.retry_after_seconds = 1;
      return core::fail(std::move(outage));
    }
    ServerWrite result;
    for (const auto& item : batch) {
      if (opted_out.contains(item.subject_id.to_string())) {
        ++result.opted_out;
        continue;
      }
      rows.push_back(item.row);
      ++result.written;
    }
    batch_sizes.push_back(batch.size());
    return result;
  }
  core::Result<std::vector<bool>> write_ingested(std::span<const EventRow>) override {
    return std::vector<bool>{};
  }
  core::Result<Expiry> expire_before(core::TimePoint) override { return Expiry{}; }
  core::Result<std::vector<DayCount>> daily_counts(core::TimePoint, core::TimePoint) override {
    return std::vector<DayCount>{};
  }
  core::Result<std::vector<EventCount>> counts_since(core::TimePoint) override {
    return std::vector<EventCount>{};
  }

  void hold() {
    std::lock_guard lock(mutex_);
    held_ = true;
  }
  void release() {
    std::lock_guard lock(mutex_);
    held_ = false;
    cv_.notify_all();
  }
  std::size_t written() {
    std::lock_guard lock(mutex_);
    return rows.size();
  }

  std::vector<EventRow> rows;
  std::vector<std::size_t> batch_sizes;
  std::set<std::string> opted_out;
  int failures_left = 0;
  int outages_left = 0;  ///< failures as service_unavailable, after failures_left
  std::atomic<int> write_calls = 0;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool held_ = false;
};

core::Uuid uuid(std::uint8_t last) {
  core::Uuid id;
  id.bytes[15] = last;
  return id;
}

ServerEvent login(std::uint8_t user) {
  return ServerEvent::make<"auth.login">().with<"user_hash">(uuid(user)).with<"method">("password");
}

class EmitterTest : public ::testing::Test {
 protected:
  std::unique_ptr<Emitter> make(EmitterOptions options = {}) {
    options.first_backoff = 1ms;  // retries are exercised, not waited for
    return std::make_unique<Emitter>(store_, crypto::TelemetryKey(std::array<std::uint8_t, 32>{}),
                                     clock_, random_, metrics_, options);
  }
  std::uint64_t outcome(const std::string& name) {
    return metrics_.counter("telemetry_events_total", "", {{"outcome", name}}).value();
  }

  MemoryStore store_;
  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  core::SeededRandom random_{7};
  core::MetricsRegistry metrics_;
};

TEST_F(EmitterTest, ServerRowCarriesPseudonymsKeyIdAndProperties) {
  crypto::TelemetryKey key(std::array<std::uint8_t, 32>{});
  auto id = core::Uuid::parse("0190f5c2-7b1a-7cde-8f00-123456789abc").value();
  ServerEvent event = ServerEvent::make<"org.member.added">()
                          .with<"org_hash">(id)
                          .with<"actor_hash">(id)
                          .with<"role">("viewer");
  auto row = server_row(event, key, "30b234f0", uuid(1), clock_.now());
  // The spec's vector for this key and id (telemetry.md §2).
  EXPECT_EQ(row.row.org_hash, "6c3d2249c3b8e94b559f909bc2c7f2e7");
  EXPECT_FALSE(row.row.user_hash);
  EXPECT_EQ(row.row.properties,
            R"({"actor_hash":"6c3d2249c3b8e94b559f909bc2c7f2e7","role":"viewer"})");
  EXPECT_EQ(row.row.surface, "ferrlabs");
  EXPECT_EQ(row.row.event, "org.member.added");
  EXPECT_EQ(row.row.origin, Origin::server);
  EXPECT_EQ(row.row.key_id, "30b234f0");
  EXPECT_EQ(row.subject, OptOutSubject::org);
  EXPECT_EQ(row.subject_id, id);

  auto user = server_row(login(9), key, "30b234f0", uuid(2), clock_.now());
  EXPECT_EQ(user.subject, OptOutSubject::user) << "user events answer to the user's flag";
  EXPECT_EQ(user.subject_id, uuid(9));
}

TEST_F(EmitterTest, FlushWritesEverythingQueuedInFewTransactions) {
  auto emitter = make();
  EXPECT_EQ(emitter->key_id(), "30b234f0");
  for (std::uint8_t i = 0; i < 100; ++i) emitter->emit(login(i));
  emitter->flush();
  EXPECT_EQ(store_.written(), 100u);
  EXPECT_LT(store_.batch_sizes.size(), 100u) << "events are batched";
  EXPECT_EQ(outcome("written"), 100u);
}

TEST_F(EmitterTest, OptedOutSubjectsAreCountedNotWritten) {
  store_.opted_out.insert(uuid(2).to_string());
  auto emitter = make();
  for (std::uint8_t i = 1; i <= 3; ++i) emitter->emit(login(i));
  emitter->flush();
  EXPECT_EQ(store_.written(), 2u);
  EXPECT_EQ(outcome("opted_out"), 1u);
}

TEST_F(EmitterTest, AFullQueueDropsWithoutBlocking) {
  store_.hold();
  auto emitter = make({.capacity = 3, .max_batch = 1});
  emitter->emit(login(1));
  while (store_.write_calls == 0) std::this_thread::yield();  // the writer holds it
  for (std::uint8_t i = 0; i < 3; ++i) emitter->emit(login(i));
  EXPECT_EQ(outcome("dropped_queue_full"), 0u) << "three fit in the queue";
  auto dropped = outcome("dropped_queue_full");
  for (int i = 0; i < 10; ++i) emitter->emit(login(2));  // returns at once
  EXPECT_EQ(outcome("dropped_queue_full"), dropped + 10);
  store_.release();
  emitter->flush();
  EXPECT_EQ(store_.written(), 4u) << "the one the writer held, then the three queued";
  EXPECT_EQ(outcome("written"), 4u);
}

TEST_F(EmitterTest, FailedWritesAreRetriedThenCounted) {
  store_.failures_left = 2;
  auto emitter = make({.attempts = 3});
  emitter->emit(login(1));
  emitter->flush();
  EXPECT_EQ(store_.written(), 1u) << "the third attempt succeeds";
  EXPECT_EQ(outcome("failed"), 0u);

  store_.failures_left = 3;
  emitter->emit(login(2));
  emitter->flush();
  EXPECT_EQ(store_.written(), 1u);
  EXPECT_EQ(outcome("failed"), 1u) << "given up after three attempts";
}

TEST_F(EmitterTest, AnOutageKeepsTheBatchAndRetriesPastTheAttemptLimit) {
  store_.outages_left = 12;  // four times the attempt limit: a database restart, say
  auto emitter = make({.attempts = 3, .max_backoff = 1ms});
  emitter->emit(login(1));
  emitter->emit(login(2));
  emitter->flush();
  EXPECT_EQ(store_.written(), 2u) << "written once the database answers again";
  EXPECT_EQ(outcome("failed"), 0u);
  EXPECT_EQ(store_.write_calls, 13);
}

TEST_F(EmitterTest, DrainWritesWhatIsQueuedThenRefusesNewEvents) {
  store_.hold();
  auto emitter = make();
  for (std::uint8_t i = 0; i < 50; ++i) emitter->emit(login(i));
  std::thread releaser([&] {
    while (store_.write_calls == 0) std::this_thread::yield();
    store_.release();
  });
  EXPECT_TRUE(emitter->drain(10s));
  releaser.join();
  EXPECT_EQ(store_.written(), 50u) << "nothing accepted is lost on a graceful shutdown";
  emitter->emit(login(1));
  EXPECT_EQ(outcome("dropped_queue_full"), 1u) << "a stopped emitter accepts nothing";
}

TEST_F(EmitterTest, ADrainPastItsDeadlineCountsWhatIsLeft) {
  store_.hold();
  store_.failures_left = 100;
  auto emitter = make({.attempts = 100});
  for (std::uint8_t i = 0; i < 5; ++i) emitter->emit(login(i));
  std::thread releaser([&] {
    while (store_.write_calls == 0) std::this_thread::yield();
    store_.release();
  });
  EXPECT_FALSE(emitter->drain(50ms));
  releaser.join();
  EXPECT_EQ(store_.written(), 0u);
  EXPECT_EQ(outcome("failed"), 5u) << "every event is accounted for";
}

}  // namespace
}  // namespace ferr::domain::telemetry
