// Group commit: concurrent submissions share transactions, each learns which of its rows were
// new, a store error reaches every submission of its transaction, and stop() writes what was
// submitted before refusing more.

#include "domain/telemetry/ingest_writer.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <set>

namespace ferr::domain::telemetry {
namespace {

// Stores rows keyed by event_id; can be held to let submissions pile up, or fail.
class MemoryStore final : public TelemetryStore {
 public:
  core::Result<ServerWrite> write_server_events(std::span<const ServerRow>) override {
    return ServerWrite{};
  }
  core::Result<std::vector<bool>> write_ingested(std::span<const EventRow> rows) override {
    std::unique_lock lock(mutex_);
    ++transactions;
    entered_ = true;
    cv_.notify_all();
    cv_.wait(lock, [&] { return !held_; });
    if (fail) return core::fail(core::Error::database("injected"));
    std::vector<bool> inserted;
    for (const auto& row : rows)
      inserted.push_back(!row.event_id || ids_.insert(row.event_id->to_string()).second);
    return inserted;
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
  void wait_until_entered() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return entered_; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    held_ = false;
    cv_.notify_all();
  }

  int transactions = 0;
  bool fail = false;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool held_ = false;
  bool entered_ = false;
  std::set<std::string> ids_;
};

EventRow row(std::uint8_t event_id) {
  EventRow r;
  core::Uuid id;
  id.bytes[15] = event_id;
  r.event_id = id;
  return r;
}

using Answer = std::future<core::Result<std::vector<bool>>>;

Answer submit(IngestWriter& writer, std::vector<EventRow> rows) {
  auto promise = std::make_shared<std::promise<core::Result<std::vector<bool>>>>();
  auto answer = promise->get_future();
  writer.submit(std::move(rows), [promise](auto result) { promise->set_value(std::move(result)); });
  return answer;
}

TEST(IngestWriter, SubmissionsThatArriveTogetherShareOneTransaction) {
  MemoryStore store;
  IngestWriter writer(store);
  store.hold();
  auto first = submit(writer, {row(1)});
  store.wait_until_entered();  // the first transaction is open; the next ones queue up
  auto second = submit(writer, {row(2), row(3)});
  auto third = submit(writer, {row(3), row(4)});
  store.release();
  EXPECT_EQ(first.get().value(), std::vector<bool>({true}));
  EXPECT_EQ(second.get().value(), std::vector<bool>({true, true}));
  EXPECT_EQ(third.get().value(), std::vector<bool>({false, true})) << "3 was a duplicate";
  EXPECT_EQ(store.transactions, 2) << "the second and third shared one commit";
}

TEST(IngestWriter, AStoreErrorReachesEverySubmissionOfItsTransaction) {
  MemoryStore store;
  IngestWriter writer(store);
  store.fail = true;
  auto answer = submit(writer, {row(1)});
  auto result = answer.get();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::internal_database);
}

TEST(IngestWriter, StopWritesWhatWasSubmittedThenRefuses) {
  MemoryStore store;
  auto writer = std::make_unique<IngestWriter>(store);
  store.hold();
  auto first = submit(*writer, {row(1)});
  store.wait_until_entered();
  auto pending = submit(*writer, {row(2)});
  std::thread stopper([&] { writer->stop(); });
  store.release();
  stopper.join();
  EXPECT_TRUE(first.get());
  EXPECT_EQ(pending.get().value(), std::vector<bool>({true})) << "submitted before stop: written";
  auto late = submit(*writer, {row(3)}).get();
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, core::ErrorCode::service_unavailable);
  EXPECT_EQ(late.error().retry_after_seconds, 1);
}

}  // namespace
}  // namespace ferr::domain::telemetry
