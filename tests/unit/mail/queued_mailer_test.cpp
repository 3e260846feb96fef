#include "mail/queued_mailer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/metrics.hpp"
#include "test_helpers.hpp"

namespace ferr::mail {
namespace {

using namespace std::chrono_literals;

// Long enough never to pass in a healthy run; only a broken mailer makes a test wait for it.
constexpr auto kGenerous = 20s;

// A transport whose answers a test scripts in advance, and which records every attempt. It can
// also hold deliveries until released, to keep the worker busy while the test looks.
class FakeTransport final : public Transport {
 public:
  // Answers given in order; once they run out, every delivery succeeds.
  void script(std::vector<core::Result<void>> answers) {
    std::lock_guard lock(mutex_);
    answers_.assign(answers.begin(), answers.end());
  }
  void fail_always(core::Error error) {
    std::lock_guard lock(mutex_);
    fail_always_ = std::move(error);
  }
  void hold() {
    std::lock_guard lock(mutex_);
    held_ = true;
  }
  void release() {
    std::lock_guard lock(mutex_);
    held_ = false;
    changed_.notify_all();
  }
  void throw_on_deliver() {
    std::lock_guard lock(mutex_);
    throw_ = true;
  }

  core::Result<void> deliver(const domain::MailMessage& message) override {
    std::unique_lock lock(mutex_);
    attempts_.push_back(message.subject);
    changed_.notify_all();
    changed_.wait(lock, [this] { return !held_; });
    if (throw_) throw std::runtime_error("transport bug");
    if (fail_always_) return core::fail(*fail_always_);
    if (answers_.empty()) return {};
    auto answer = answers_.front();
    answers_.pop_front();
    return answer;
  }
  void interrupt() override {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
    held_ = false;  // like the SMTP transport: a held delivery ends
    changed_.notify_all();
  }

  // Waits until at least `n` attempts have started; false after kGenerous.
  bool wait_for_attempts(std::size_t n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kGenerous, [&] { return attempts_.size() >= n; });
  }
  std::vector<std::string> attempts() {
    std::lock_guard lock(mutex_);
    return attempts_;
  }
  bool interrupted() {
    std::lock_guard lock(mutex_);
    return interrupted_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<core::Result<void>> answers_;
  std::optional<core::Error> fail_always_;
  std::vector<std::string> attempts_;
  bool held_ = false;
  bool throw_ = false;
  bool interrupted_ = false;
};

core::Error smtp_down() { return core::Error::internal("smtp: Couldn't connect to server"); }

// Zero back-off: retries happen at once, so no test waits on the clock.
QueuedMailer::Options fast(QueuedMailer::Options options = {}) {
  options.backoff = 0ms;
  return options;
}

domain::MailMessage message(std::string subject, std::string to = "ada@example.com") {
  return {std::move(to), std::move(subject), "Your code is 123456."};
}

class QueuedMailerTest : public ::testing::Test {
 protected:
  // Declared first, destroyed last: the mailer's thread logs until the mailer is gone.
  test::LogCapture log_;
  FakeTransport* transport_ = nullptr;

  std::unique_ptr<QueuedMailer> make(QueuedMailer::Options options) {
    auto transport = std::make_unique<FakeTransport>();
    transport_ = transport.get();
    return std::make_unique<QueuedMailer>(std::move(transport), options);
  }
};

TEST_F(QueuedMailerTest, DeliversEveryMessageInOrder) {
  auto mailer = make(fast());
  for (int i = 0; i < 5; ++i) mailer->send(message("m" + std::to_string(i)));
  ASSERT_TRUE(mailer->drain(kGenerous));
  EXPECT_EQ(transport_->attempts(), (std::vector<std::string>{"m0", "m1", "m2", "m3", "m4"}));
  EXPECT_EQ(mailer->delivered(), 5u);
  EXPECT_EQ(mailer->failed(), 0u);
  EXPECT_EQ(mailer->dropped(), 0u);
}

TEST_F(QueuedMailerTest, RetriesAFailingDeliveryExactlyMaxAttemptsTimesThenCountsAFailure) {
  auto mailer = make(fast());
  transport_->fail_always(smtp_down());
  mailer->send(message("doomed"));
  ASSERT_TRUE(mailer->drain(kGenerous));
  EXPECT_EQ(transport_->attempts().size(), 3u) << "default: 3 attempts";
  EXPECT_EQ(mailer->failed(), 1u);
  EXPECT_EQ(mailer->delivered(), 0u);
}

TEST_F(QueuedMailerTest, HonoursAConfiguredNumberOfAttempts) {
  QueuedMailer::Options options;
  options.max_attempts = 5;
  auto mailer = make(fast(options));
  transport_->fail_always(smtp_down());
  mailer->send(message("doomed"));
  mailer->send(message("also doomed"));
  mailer->flush();
  EXPECT_EQ(transport_->attempts().size(), 10u);
  EXPECT_EQ(mailer->failed(), 2u);
}

TEST_F(QueuedMailerTest, StopsRetryingOnceADeliverySucceeds) {
  auto mailer = make(fast());
  transport_->script({core::fail(smtp_down()), core::fail(smtp_down())});  // then success
  mailer->send(message("third time lucky"));
  ASSERT_TRUE(mailer->drain(kGenerous));
  EXPECT_EQ(transport_->attempts().size(), 3u);
  EXPECT_EQ(mailer->delivered(), 1u);
  EXPECT_EQ(mailer->failed(), 0u);
}

TEST_F(QueuedMailerTest, DoesNotRetryAMessageTheTransportRefusesAsMalformed) {
  auto mailer = make(fast());
  transport_->fail_always(core::Error::validation("subject", "the subject must be one line"));
  mailer->send(message("bad"));
  ASSERT_TRUE(mailer->drain(kGenerous));
  EXPECT_EQ(transport_->attempts().size(), 1u);
  EXPECT_EQ(mailer->failed(), 1u);
}

TEST_F(QueuedMailerTest, AThrowingTransportCountsAsAFailureAndTheWorkerGoesOn) {
  auto mailer = make(fast());
  transport_->throw_on_deliver();
  mailer->send(message("boom"));
  ASSERT_TRUE(mailer->drain(kGenerous));
  EXPECT_EQ(mailer->failed(), 1u);
  EXPECT_EQ(transport_->attempts().size(), 3u);
}

TEST_F(QueuedMailerTest, SendReturnsWhileADeliveryIsStuckAndAFullQueueDrops) {
  QueuedMailer::Options options;
  options.capacity = 2;
  auto mailer = make(fast(options));
  transport_->hold();
  EXPECT_NO_THROW(mailer->send(message("in flight")));
  ASSERT_TRUE(transport_->wait_for_attempts(1));  // the worker holds it: the queue is empty
  EXPECT_NO_THROW(mailer->send(message("queued 1")));
  EXPECT_NO_THROW(mailer->send(message("queued 2")));
  EXPECT_NO_THROW(mailer->send(message("dropped 1")));
  EXPECT_NO_THROW(mailer->send(message("dropped 2")));
  EXPECT_EQ(mailer->dropped(), 2u);
  EXPECT_FALSE(mailer->drain(0ms)) << "still busy";

  transport_->release();
  ASSERT_TRUE(mailer->drain(kGenerous));
  EXPECT_EQ(transport_->attempts(),
            (std::vector<std::string>{"in flight", "queued 1", "queued 2"}));
  EXPECT_EQ(mailer->delivered(), 3u);
  EXPECT_EQ(mailer->dropped(), 2u);
}

TEST_F(QueuedMailerTest, DrainOfAnIdleMailerReturnsAtOnce) {
  auto mailer = make(fast());
  EXPECT_TRUE(mailer->drain(0ms));
  mailer->flush();
}

TEST_F(QueuedMailerTest, StopEndsARetryWaitAtOnce) {
  QueuedMailer::Options options;
  options.backoff = 1h;  // the test would time out if stop() waited for it
  auto mailer = make(options);
  transport_->fail_always(smtp_down());
  mailer->send(message("retried later"));
  ASSERT_TRUE(transport_->wait_for_attempts(1));
  mailer->stop();
  EXPECT_EQ(transport_->attempts().size(), 1u);
  EXPECT_EQ(mailer->failed(), 1u);
  EXPECT_TRUE(mailer->drain(0ms));
}

TEST_F(QueuedMailerTest, StopInterruptsTheDeliveryAndDropsWhatIsStillQueued) {
  auto mailer = make(fast());
  transport_->hold();
  mailer->send(message("in flight"));
  ASSERT_TRUE(transport_->wait_for_attempts(1));
  mailer->send(message("queued 1"));
  mailer->send(message("queued 2"));
  mailer->stop();
  EXPECT_TRUE(transport_->interrupted());
  EXPECT_EQ(mailer->dropped(), 2u);
  EXPECT_EQ(transport_->attempts(), std::vector<std::string>{"in flight"});

  mailer->send(message("after stop"));  // neither blocks nor throws
  EXPECT_EQ(mailer->dropped(), 3u);
  mailer->stop();  // idempotent
}

// Counts deliveries into a counter the test owns, so the count outlives the mailer.
class CountingTransport final : public Transport {
 public:
  explicit CountingTransport(std::atomic<int>& count) : count_(count) {}
  core::Result<void> deliver(const domain::MailMessage&) override {
    count_.fetch_add(1);
    return {};
  }

 private:
  std::atomic<int>& count_;
};

TEST_F(QueuedMailerTest, DestructorDeliversWhatIsQueuedBeforeStopping) {
  std::atomic<int> count{0};
  {
    QueuedMailer mailer(std::make_unique<CountingTransport>(count), fast());
    for (int i = 0; i < 50; ++i) mailer.send(message("m" + std::to_string(i)));
  }  // no flush(): the destructor drains
  EXPECT_EQ(count.load(), 50);
}

// What the destructor leaves behind is observed through what outlives the mailer: the metrics
// registry and the log. (It once ended in SUCCEED(), and passed whatever happened.)
TEST_F(QueuedMailerTest, DestructorGivesUpAfterItsDrainDeadline) {
  core::MetricsRegistry registry;
  QueuedMailer::Options options;
  options.backoff = 1h;
  options.shutdown_drain = 0ms;
  options.metrics = &registry;
  auto mailer = make(options);
  transport_->fail_always(smtp_down());
  mailer->send(message("retried later"));
  mailer->send(message("never tried"));
  ASSERT_TRUE(transport_->wait_for_attempts(1));
  auto started = std::chrono::steady_clock::now();
  mailer.reset();  // returns although a retry is an hour away
  EXPECT_LT(std::chrono::steady_clock::now() - started, kGenerous) << "it did not wait the hour";

  std::string metrics = registry.render();
  EXPECT_NE(metrics.find("mail_messages_total{outcome=\"failed\"} 1\n"), std::string::npos)
      << "the message waiting for its retry is given up and counted: " << metrics;
  EXPECT_NE(metrics.find("mail_messages_total{outcome=\"dropped\"} 1\n"), std::string::npos)
      << "the one still queued is dropped and counted: " << metrics;
  EXPECT_NE(metrics.find("mail_messages_total{outcome=\"delivered\"} 0\n"), std::string::npos)
      << metrics;
  std::string text = log_.text();
  EXPECT_NE(text.find("\"attempts\":1"), std::string::npos) << "no retry was made: " << text;
  EXPECT_NE(text.find("mail dropped: still queued at shutdown"), std::string::npos) << text;
}

TEST_F(QueuedMailerTest, LogsAFailureWithTheRecipientDomainOnly) {
  auto mailer = make(fast());
  transport_->fail_always(smtp_down());
  mailer->send({"ada.lovelace@example.org", "Your code", "Your code is 987654."});
  ASSERT_TRUE(mailer->drain(kGenerous));
  mailer.reset();  // nothing logs past this point

  std::string text = log_.text();
  auto lines = log_.lines();
  ASSERT_EQ(lines.size(), 1u) << text;
  EXPECT_NE(lines[0].find("\"level\":\"warn\""), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("mail delivery failed"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("\"domain\":\"example.org\""), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("\"attempts\":3"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("Couldn't connect"), std::string::npos) << lines[0];
  EXPECT_EQ(text.find("ada.lovelace"), std::string::npos) << "never the address";
  EXPECT_EQ(text.find("987654"), std::string::npos) << "never the body";
  EXPECT_EQ(text.find("Your code"), std::string::npos) << "never the subject";
}

TEST_F(QueuedMailerTest, LogsADropWithTheRecipientDomainOnly) {
  QueuedMailer::Options options;
  options.capacity = 0;
  auto mailer = make(fast(options));
  mailer->send({"grace.hopper@example.net", "Your code", "Your code is 246810."});
  EXPECT_EQ(mailer->dropped(), 1u);
  mailer.reset();

  std::string text = log_.text();
  EXPECT_NE(text.find("mail dropped: queue full"), std::string::npos) << text;
  EXPECT_NE(text.find("\"domain\":\"example.net\""), std::string::npos) << text;
  EXPECT_EQ(text.find("grace.hopper"), std::string::npos);
  EXPECT_EQ(text.find("246810"), std::string::npos);
}

TEST_F(QueuedMailerTest, CountsOutcomesInTheMetricsRegistry) {
  core::MetricsRegistry registry;
  QueuedMailer::Options options;
  options.metrics = &registry;
  options.capacity = 1;
  auto mailer = make(fast(options));
  EXPECT_NE(registry.render().find("mail_messages_total{outcome=\"failed\"} 0"), std::string::npos)
      << "all series exist from the start";

  transport_->script({core::Result<void>{}, core::fail(smtp_down()), core::fail(smtp_down()),
                      core::fail(smtp_down())});
  transport_->hold();
  mailer->send(message("delivered"));
  ASSERT_TRUE(transport_->wait_for_attempts(1));
  mailer->send(message("fails"));
  mailer->send(message("dropped"));  // capacity 1: "fails" waits in the queue
  transport_->release();
  ASSERT_TRUE(mailer->drain(kGenerous));

  std::string text = registry.render();
  EXPECT_NE(text.find("# TYPE mail_messages_total counter"), std::string::npos) << text;
  EXPECT_NE(text.find("mail_messages_total{outcome=\"delivered\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("mail_messages_total{outcome=\"failed\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("mail_messages_total{outcome=\"dropped\"} 1\n"), std::string::npos) << text;
}

TEST_F(QueuedMailerTest, ZeroAttemptsStillTriesOnce) {
  QueuedMailer::Options options;
  options.max_attempts = 0;
  auto mailer = make(fast(options));
  mailer->send(message("once"));
  ASSERT_TRUE(mailer->drain(kGenerous));
  EXPECT_EQ(mailer->delivered(), 1u);
}

}  // namespace
}  // namespace ferr::mail
