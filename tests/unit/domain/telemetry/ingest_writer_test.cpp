// Group commit without a writer thread, on several event loop threads at once: requests that
// arrive during a commit share the next one, each learns which of its own rows were new, the lead
// passes to the first request that waited, a store error reaches every request of its commit,
// and stop() lets what was submitted finish before refusing more.
//
// Ordering without sleeps: a write started on a loop has queued itself once a job posted to the
// same loop after it has run (one thread, jobs in order), and a held store call is observed with
// wait_until_held().

#include "domain/telemetry/ingest_writer.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "core/background_loop.hpp"
#include "fakes/database.hpp"
#include "fakes/telemetry_store.hpp"

namespace ferr::domain::telemetry {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Outcome = core::Result<std::vector<bool>>;
using Answer = std::future<Outcome>;

EventRow row(std::uint16_t event_id) {
  EventRow r;
  core::Uuid id;
  id.bytes[14] = static_cast<std::uint8_t>(event_id >> 8);
  id.bytes[15] = static_cast<std::uint8_t>(event_id);
  r.event_id = id;
  r.event = "cli.run";
  return r;
}

/// Starts `writer.write(rows)` as a coroutine on `loop`; its answer arrives in the future.
Answer submit(IngestWriter& writer, core::BackgroundLoop& loop, std::vector<EventRow> rows) {
  auto promise = std::make_shared<std::promise<Outcome>>();
  auto answer = promise->get_future();
  asio::co_spawn(
      loop.executor(),
      [&writer, promise, rows = std::move(rows)]() mutable -> core::Task<void> {
        promise->set_value(co_await writer.write(std::move(rows)));
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  return answer;
}

/// Returns once every job posted to `loop` before the call has run to its first suspension:
/// a write submitted there before has queued itself (or entered the store).
void settle(core::BackgroundLoop& loop) {
  std::promise<void> reached;
  asio::post(loop.executor(), [&] { reached.set_value(); });
  reached.get_future().get();
}

std::thread::id thread_of(core::BackgroundLoop& loop) {
  std::promise<std::thread::id> id;
  asio::post(loop.executor(), [&] { id.set_value(std::this_thread::get_id()); });
  return id.get_future().get();
}

/// The answer, or a failed test instead of a hang when a waiter is never answered.
Outcome get(Answer& answer) {
  if (answer.wait_for(60s) != std::future_status::ready) {
    ADD_FAILURE() << "a write was never answered";
    return core::fail(core::Error::internal("no answer"));
  }
  return answer.get();
}

using fakes::injected_failure;

class IngestWriterTest : public ::testing::Test {
 protected:
  std::vector<std::size_t> commits() { return store_.ingest_batches(); }
  std::vector<std::thread::id> committers() { return store_.hooks.threads("write_ingested"); }

  fakes::Database db_;
  fakes::FakeTelemetryStore store_{db_};
  std::unique_ptr<IngestWriter> writer_ = std::make_unique<IngestWriter>(store_);
  // One event loop thread each; declared last, so they stop before the writer and store go.
  core::BackgroundLoop a_, b_, c_;
};

TEST_F(IngestWriterTest, RequestsThatArriveDuringACommitShareTheNextOne) {
  store_.hooks.hold("write_ingested");
  auto first = submit(*writer_, a_, {row(1)});
  store_.hooks.wait_until_held();  // the first commit is open; the next requests queue up
  auto second = submit(*writer_, b_, {row(2), row(3)});
  settle(b_);
  auto third = submit(*writer_, c_, {row(3), row(4)});
  settle(c_);
  store_.hooks.release();
  EXPECT_EQ(get(first).value(), std::vector<bool>({true}));
  EXPECT_EQ(get(second).value(), std::vector<bool>({true, true}));
  EXPECT_EQ(get(third).value(), std::vector<bool>({false, true})) << "3 was a duplicate";
  EXPECT_EQ(store_.hooks.calls("write_ingested"), 2) << "the second and third shared one commit";
  EXPECT_EQ(commits(), std::vector<std::size_t>({1, 4}));
  EXPECT_EQ(store_.rows(), 4u);
}

TEST_F(IngestWriterTest, TheLeadPassesToTheFirstRequestThatWaited) {
  auto a = thread_of(a_), b = thread_of(b_);
  store_.hooks.hold("write_ingested");
  auto first = submit(*writer_, a_, {row(1)});
  store_.hooks.wait_until_held();
  auto second = submit(*writer_, b_, {row(2)});
  settle(b_);
  auto third = submit(*writer_, c_, {row(3)});
  settle(c_);
  store_.hooks.release();
  ASSERT_TRUE(get(first));
  ASSERT_TRUE(get(second));
  ASSERT_TRUE(get(third));
  // The first request committed only its own rows, then handed the lead to the second, which
  // committed for itself and the third, on its own thread.
  EXPECT_EQ(committers(), std::vector<std::thread::id>({a, b}));
  EXPECT_EQ(commits(), std::vector<std::size_t>({1, 2}));
}

TEST_F(IngestWriterTest, TheRowBudgetSplitsGroupsAndTheLeadMovesOnAgain) {
  writer_ = std::make_unique<IngestWriter>(store_, GroupCommits{.max_rows = 3});
  auto a = thread_of(a_), b = thread_of(b_), c = thread_of(c_);
  store_.hooks.hold("write_ingested");
  auto first = submit(*writer_, a_, {row(1)});
  store_.hooks.wait_until_held();
  auto second = submit(*writer_, b_, {row(2), row(3)});
  settle(b_);
  auto third = submit(*writer_, c_, {row(4), row(5)});
  settle(c_);
  store_.hooks.release();
  EXPECT_EQ(get(first).value(), std::vector<bool>({true}));
  EXPECT_EQ(get(second).value(), std::vector<bool>({true, true}));
  EXPECT_EQ(get(third).value(), std::vector<bool>({true, true}));
  EXPECT_EQ(commits(), std::vector<std::size_t>({1, 2, 2})) << "2 + 2 rows exceed the budget of 3";
  EXPECT_EQ(committers(), std::vector<std::thread::id>({a, b, c}));
}

TEST_F(IngestWriterTest, WithTwoLanesTwoCommitsRunAtOnceAndEachLaneGroupsItsOwnQueue) {
  writer_ = std::make_unique<IngestWriter>(store_, GroupCommits{.lanes = 2});
  store_.hooks.hold("write_ingested");
  auto first = submit(*writer_, a_, {row(1)});
  store_.hooks.wait_until_held();
  // The second request takes the other lane: its commit starts while the first is held (with one
  // lane it would wait for it, which the test of the lead hand-over shows).
  auto second = submit(*writer_, b_, {row(2)});
  store_.hooks.wait_until_held(2);
  // The next two queue, one behind each lane's open commit.
  auto third = submit(*writer_, c_, {row(3)});
  settle(c_);
  auto fourth = submit(*writer_, c_, {row(4), row(2)});
  settle(c_);
  EXPECT_EQ(store_.hooks.calls("write_ingested"), 2);
  store_.hooks.release();
  EXPECT_EQ(get(first).value(), std::vector<bool>({true}));
  EXPECT_EQ(get(second).value(), std::vector<bool>({true}));
  EXPECT_EQ(get(third).value(), std::vector<bool>({true}));
  EXPECT_EQ(get(fourth).value(), std::vector<bool>({true, false}))
      << "2 was stored by the commit before it in its lane";
  EXPECT_EQ(store_.hooks.calls("write_ingested"), 4) << "each queued request led its lane's next";
  EXPECT_EQ(store_.rows(), 4u);
}

TEST_F(IngestWriterTest, AStoreErrorReachesEverySubmissionOfItsTransaction) {
  store_.hooks.fail_next(injected_failure(), "write_ingested");
  auto answer = submit(*writer_, a_, {row(1)});
  auto result = get(answer);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::internal_database);
}

TEST_F(IngestWriterTest, AFailedGroupCommitFailsEveryMemberAndTheNextCommitWorks) {
  store_.hooks.hold("write_ingested");
  auto first = submit(*writer_, a_, {row(1)});
  store_.hooks.wait_until_held();
  // Decided when the next call enters: the group commit of the two waiting requests fails.
  store_.hooks.fail_next(injected_failure(), "write_ingested");
  auto second = submit(*writer_, b_, {row(2)});
  settle(b_);
  auto third = submit(*writer_, c_, {row(3), row(4)});
  settle(c_);
  store_.hooks.release();
  EXPECT_EQ(get(first).value(), std::vector<bool>({true}));
  for (auto* failed : {&second, &third}) {
    auto result = get(*failed);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, core::ErrorCode::internal_database);
    EXPECT_EQ(result.error().log_detail, "injected");
  }
  EXPECT_EQ(store_.rows(), 1u) << "nothing of the failed commit was stored";
  auto again = submit(*writer_, a_, {row(2)});
  EXPECT_EQ(get(again).value(), std::vector<bool>({true})) << "the writer is not wedged";
}

TEST_F(IngestWriterTest, ManyConcurrentWritersEachGetTheirOwnAnswer) {
  // No holds: whatever the interleaving, every request is answered with its own rows' outcome,
  // and every row is stored once.
  constexpr int kPerLoop = 60;
  std::vector<Answer> answers;
  std::vector<std::vector<bool>> expected;
  std::uint16_t next = 1;
  core::BackgroundLoop* loops[] = {&a_, &b_, &c_};
  for (int i = 0; i < kPerLoop; ++i) {
    for (auto* loop : loops) {
      // Each request: a new row, and every third one a duplicate of its own first row.
      std::vector<EventRow> rows{row(next)};
      std::vector<bool> outcome{true};
      if (next % 3 == 0) {
        rows.push_back(row(next));
        outcome.push_back(false);
      }
      ++next;
      expected.push_back(outcome);
      answers.push_back(submit(*writer_, *loop, std::move(rows)));
    }
  }
  for (std::size_t i = 0; i < answers.size(); ++i) {
    auto result = get(answers[i]);
    ASSERT_TRUE(result) << i;
    EXPECT_EQ(*result, expected[i]) << i;
  }
  EXPECT_EQ(store_.rows(), static_cast<std::size_t>(3 * kPerLoop));
  EXPECT_LE(store_.hooks.calls("write_ingested"), 3 * kPerLoop);
}

TEST_F(IngestWriterTest, StopWritesWhatWasSubmittedThenRefuses) {
  store_.hooks.hold("write_ingested");
  auto first = submit(*writer_, a_, {row(1)});
  store_.hooks.wait_until_held();
  auto pending = submit(*writer_, b_, {row(2)});
  settle(b_);
  std::thread stopper([&] { writer_->stop(); });
  store_.hooks.release();
  stopper.join();
  EXPECT_EQ(commits(), std::vector<std::size_t>({1, 1}))
      << "both commits ran before stop() returned";
  EXPECT_TRUE(get(first));
  EXPECT_EQ(get(pending).value(), std::vector<bool>({true})) << "submitted before stop: written";
  auto late = core::run_to_completion(writer_->write({row(3)}));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, core::ErrorCode::service_unavailable);
  EXPECT_EQ(late.error().retry_after_seconds, 1);
  EXPECT_EQ(store_.hooks.calls("write_ingested"), 2) << "a refused write reaches no store";
}

TEST_F(IngestWriterTest, StoppingAnIdleWriterReturnsAtOnce) {
  auto answer = submit(*writer_, a_, {row(1)});
  ASSERT_TRUE(get(answer));
  writer_->stop();
  writer_->stop();  // twice is harmless
  auto late = core::run_to_completion(writer_->write({row(2)}));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, core::ErrorCode::service_unavailable);
}

}  // namespace
}  // namespace ferr::domain::telemetry
