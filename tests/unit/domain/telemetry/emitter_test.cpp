// The emitter against the in-memory store: batching, flush, a full queue, bounded retries and the
// drain at shutdown. Its writer coroutine runs on a background loop; a held store write suspends
// that coroutine, never the loop's thread.

#include "domain/telemetry/emitter.hpp"

#include <gtest/gtest.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <future>
#include <memory>
#include <thread>

#include "core/background_loop.hpp"
#include "fakes/database.hpp"
#include "fakes/telemetry_store.hpp"

namespace ferr::domain::telemetry {
namespace {

using namespace std::chrono_literals;
using ::ferr::telemetry::ServerEvent;

core::Uuid uuid(std::uint8_t last) {
  core::Uuid id;
  id.bytes[15] = last;
  return id;
}

ServerEvent login(std::uint8_t user) {
  return ServerEvent::make<"auth.login">().with<"user_hash">(uuid(user)).with<"method">("password");
}

// An event loop that runs only once started: what is emitted before start() is all queued when
// the writer first looks, so it goes out in one batch. Destroy the emitter before the loop.
class PausedLoop {
 public:
  PausedLoop() = default;
  PausedLoop(const PausedLoop&) = delete;
  PausedLoop& operator=(const PausedLoop&) = delete;
  ~PausedLoop() {
    if (thread_.joinable()) thread_.join();  // returns once the writer has finished
  }
  boost::asio::any_io_executor executor() { return io_.get_executor(); }
  void start() {
    thread_ = std::thread([this] { io_.run(); });
  }

 private:
  boost::asio::io_context io_;
  std::thread thread_;
};

using fakes::injected_failure;

core::Error outage() {
  core::Error outage{core::ErrorCode::service_unavailable, "injected outage"};
  outage.retry_after_seconds = 1;
  return outage;
}

class EmitterTest : public ::testing::Test {
 protected:
  std::unique_ptr<Emitter> make(EmitterOptions options = {}) {
    return make_on(loop_.executor(), options);
  }
  std::unique_ptr<Emitter> make_on(boost::asio::any_io_executor executor,
                                   EmitterOptions options = {}) {
    options.first_backoff = 1ms;  // retries are exercised, not waited for
    return std::make_unique<Emitter>(store_, crypto::TelemetryKey(std::array<std::uint8_t, 32>{}),
                                     clock_, random_, metrics_, options, std::move(executor));
  }
  std::uint64_t outcome(const std::string& name) {
    return metrics_.counter("telemetry_events_total", "", {{"outcome", name}}).value();
  }
  int write_calls() { return store_.hooks.calls("write_server_events"); }

  fakes::Database db_;
  fakes::FakeTelemetryStore store_{db_};
  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  core::SeededRandom random_{7};
  core::MetricsRegistry metrics_;
  // Declared last: the loop stops before anything the writer uses goes away.
  core::BackgroundLoop loop_;
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
  EXPECT_EQ(store_.rows(), 100u);
  EXPECT_LT(store_.server_batches().size(), 100u) << "events are batched";
  EXPECT_EQ(outcome("written"), 100u);
}

TEST_F(EmitterTest, TheWriterRunsOnTheExecutorItIsGiven) {
  std::promise<std::thread::id> loop_thread;
  boost::asio::post(loop_.executor(), [&] { loop_thread.set_value(std::this_thread::get_id()); });
  auto expected = loop_thread.get_future().get();
  auto emitter = make();
  for (std::uint8_t i = 0; i < 3; ++i) emitter->emit(login(i));
  emitter->flush();
  auto threads = store_.hooks.threads("write_server_events");
  ASSERT_FALSE(threads.empty());
  for (auto thread : threads) EXPECT_EQ(thread, expected);
}

TEST_F(EmitterTest, OptedOutSubjectsAreCountedNotWritten) {
  db_.user_opt_out[core::UserId{uuid(2)}] = true;  // login events answer to the user's flag
  auto emitter = make();
  for (std::uint8_t i = 1; i <= 3; ++i) emitter->emit(login(i));
  emitter->flush();
  EXPECT_EQ(store_.rows(), 2u);
  EXPECT_EQ(outcome("opted_out"), 1u);
}

TEST_F(EmitterTest, AFullQueueDropsWithoutBlocking) {
  store_.hooks.hold();
  auto emitter = make({.capacity = 3, .max_batch = 1});
  emitter->emit(login(1));
  store_.hooks.wait_until_held();  // the writer holds it
  for (std::uint8_t i = 0; i < 3; ++i) emitter->emit(login(i));
  EXPECT_EQ(outcome("dropped_queue_full"), 0u) << "three fit in the queue";
  auto dropped = outcome("dropped_queue_full");
  for (int i = 0; i < 10; ++i) emitter->emit(login(2));  // returns at once
  EXPECT_EQ(outcome("dropped_queue_full"), dropped + 10);
  store_.hooks.release();
  emitter->flush();
  EXPECT_EQ(store_.rows(), 4u) << "the one the writer held, then the three queued";
  EXPECT_EQ(outcome("written"), 4u);
}

TEST_F(EmitterTest, FailedWritesAreRetriedThenCounted) {
  store_.hooks.fail_next(injected_failure(), "write_server_events", 2);
  auto emitter = make({.attempts = 3});
  emitter->emit(login(1));
  emitter->flush();
  EXPECT_EQ(store_.rows(), 1u) << "the third attempt succeeds";
  EXPECT_EQ(outcome("failed"), 0u);

  store_.hooks.fail_next(injected_failure(), "write_server_events", 3);
  emitter->emit(login(2));
  emitter->flush();
  EXPECT_EQ(store_.rows(), 1u);
  EXPECT_EQ(outcome("failed"), 1u) << "given up after three attempts";
}

TEST_F(EmitterTest, AnOutageKeepsTheBatchAndRetriesPastTheAttemptLimit) {
  // four times the attempt limit: a database restart, say
  store_.hooks.fail_next(outage(), "write_server_events", 12);
  PausedLoop loop;
  auto emitter = make_on(loop.executor(), {.attempts = 3, .max_backoff = 1ms});
  emitter->emit(login(1));
  emitter->emit(login(2));
  loop.start();  // one batch of both: the count of writes below is exact
  emitter->flush();
  EXPECT_EQ(store_.rows(), 2u) << "written once the database answers again";
  EXPECT_EQ(outcome("failed"), 0u);
  EXPECT_EQ(write_calls(), 13);
}

TEST_F(EmitterTest, DrainWritesWhatIsQueuedThenRefusesNewEvents) {
  store_.hooks.hold();
  auto emitter = make();
  for (std::uint8_t i = 0; i < 50; ++i) emitter->emit(login(i));
  std::thread releaser([&] {
    store_.hooks.wait_until_held();
    store_.hooks.release();
  });
  EXPECT_TRUE(emitter->drain(10s));
  releaser.join();
  EXPECT_EQ(store_.rows(), 50u) << "nothing accepted is lost on a graceful shutdown";
  emitter->emit(login(1));
  EXPECT_EQ(outcome("dropped_queue_full"), 1u) << "a stopped emitter accepts nothing";
}

TEST_F(EmitterTest, ADrainPastItsDeadlineCountsWhatIsLeft) {
  store_.hooks.hold();
  store_.hooks.fail_always(injected_failure(), "write_server_events");
  auto emitter = make({.attempts = 100});
  for (std::uint8_t i = 0; i < 5; ++i) emitter->emit(login(i));
  std::thread releaser([&] {
    store_.hooks.wait_until_held();
    store_.hooks.release();
  });
  EXPECT_FALSE(emitter->drain(50ms));
  releaser.join();
  EXPECT_EQ(store_.rows(), 0u);
  EXPECT_EQ(outcome("failed"), 5u) << "every event is accounted for";
}

}  // namespace
}  // namespace ferr::domain::telemetry
