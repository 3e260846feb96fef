#include "domain/idempotency/idempotency.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace ferr::domain::idempotency {
namespace {

using namespace std::chrono_literals;

/// Answers every claim with `answer` and remembers what it was asked.
class FakeStore final : public IdempotencyStore {
 public:
  core::Result<Entry> claim(const core::Uuid& user, const std::string& key,
                            const std::string& fingerprint, core::TimePoint now,
                            core::TimePoint expired_before,
                            core::TimePoint abandoned_before) override {
    ++claims;
    claimed = {user, key, fingerprint, now, expired_before, abandoned_before};
    if (error) return core::fail(*error);
    return answer;
  }
  core::Result<void> complete(const core::Uuid& user, const std::string& key,
                              const StoredResponse& response) override {
    completed = {user, key, response};
    return {};
  }
  core::Result<void> release(const core::Uuid& user, const std::string& key) override {
    released = {user, key};
    return {};
  }

  struct ClaimCall {
    core::Uuid user;
    std::string key, fingerprint;
    core::TimePoint now, expired_before, abandoned_before;
  };
  struct CompleteCall {
    core::Uuid user;
    std::string key;
    StoredResponse response;
  };
  Entry answer;
  std::optional<core::Error> error;
  int claims = 0;
  std::optional<ClaimCall> claimed;
  std::optional<CompleteCall> completed;
  std::optional<std::pair<core::Uuid, std::string>> released;
};

class IdempotencyTest : public ::testing::Test {
 protected:
  core::Result<Claim> claim(const std::string& fingerprint = "fp") {
    return idempotency_.claim(user_, "key-1", fingerprint);
  }

  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  FakeStore store_;
  Idempotency idempotency_{store_, clock_};
  core::Uuid user_ = core::Uuid::parse("0196a0b0-0000-7000-8000-000000000001").value();
};

TEST(IdempotencyKey, AcceptsOneTo255PrintableAsciiCharacters) {
  EXPECT_TRUE(is_valid_key("a"));
  EXPECT_TRUE(is_valid_key(std::string(255, 'x')));
  std::string printable;
  for (char c = 0x20; c < 0x7f; ++c) printable += c;
  EXPECT_TRUE(is_valid_key(printable)) << "space to tilde";
  EXPECT_TRUE(is_valid_key("4f1c2b9e-retry key #1"));
}

TEST(IdempotencyKey, RefusesEmptyTooLongControlAndNonAsciiKeys) {
  EXPECT_FALSE(is_valid_key(""));
  EXPECT_FALSE(is_valid_key(std::string(256, 'x')));
  for (char c = 0; c < 0x20; ++c)
    EXPECT_FALSE(is_valid_key("ab" + std::string(1, c) + "cd")) << int(c);
  EXPECT_FALSE(is_valid_key("ab\x7f")) << "DEL";
  EXPECT_FALSE(is_valid_key("caf\xc3\xa9")) << "UTF-8";
  EXPECT_FALSE(is_valid_key("\x80"));
  EXPECT_FALSE(is_valid_key("\xff"));
}

TEST_F(IdempotencyTest, ClaimPassesNowAndTheTwoCutoffs) {
  clock_.advance(123ms);
  ASSERT_TRUE(claim("the-fingerprint"));
  ASSERT_TRUE(store_.claimed);
  EXPECT_EQ(store_.claimed->user, user_);
  EXPECT_EQ(store_.claimed->key, "key-1");
  EXPECT_EQ(store_.claimed->fingerprint, "the-fingerprint");
  EXPECT_EQ(store_.claimed->now, clock_.now());
  EXPECT_EQ(store_.claimed->expired_before, clock_.now() - 24h);
  EXPECT_EQ(store_.claimed->abandoned_before, clock_.now() - 2min);
}

TEST_F(IdempotencyTest, AClaimedKeyRuns) {
  store_.answer = Entry{true, "fp", std::nullopt};
  auto decided = claim();
  ASSERT_TRUE(decided);
  EXPECT_EQ(decided->decision, Decision::run);
}

TEST_F(IdempotencyTest, AStoredResponseOfTheSameRequestIsReplayed) {
  store_.answer = Entry{false, "fp", StoredResponse{201, R"({"id":"x"})"}};
  auto decided = claim();
  ASSERT_TRUE(decided);
  EXPECT_EQ(decided->decision, Decision::replay);
  EXPECT_EQ(decided->stored.status, 201);
  EXPECT_EQ(decided->stored.body, R"({"id":"x"})");
}

TEST_F(IdempotencyTest, AnotherRequestUnderTheKeyIsKeyReused) {
  store_.answer = Entry{false, "fp-other", StoredResponse{201, "{}"}};
  auto done = claim();
  ASSERT_TRUE(done);
  EXPECT_EQ(done->decision, Decision::key_reused);

  store_.answer = Entry{false, "fp-other", std::nullopt};
  auto running = claim();
  ASSERT_TRUE(running);
  EXPECT_EQ(running->decision, Decision::key_reused) << "even while the other is in flight";
}

TEST_F(IdempotencyTest, TheSameRequestStillRunningIsInFlight) {
  store_.answer = Entry{false, "fp", std::nullopt};
  auto decided = claim();
  ASSERT_TRUE(decided);
  EXPECT_EQ(decided->decision, Decision::in_flight);
}

TEST_F(IdempotencyTest, StoreErrorsPropagate) {
  store_.error = core::Error::database("disk I/O error");
  auto decided = claim();
  ASSERT_FALSE(decided);
  EXPECT_EQ(decided.error().code, core::ErrorCode::internal_database);
  EXPECT_EQ(decided.error().log_detail, "disk I/O error");
}

TEST_F(IdempotencyTest, CompleteAndReleaseGoToTheStore) {
  ASSERT_TRUE(idempotency_.complete(user_, "key-1", StoredResponse{409, "{}"}));
  ASSERT_TRUE(store_.completed);
  EXPECT_EQ(store_.completed->user, user_);
  EXPECT_EQ(store_.completed->key, "key-1");
  EXPECT_EQ(store_.completed->response.status, 409);
  ASSERT_TRUE(idempotency_.release(user_, "key-2"));
  ASSERT_TRUE(store_.released);
  EXPECT_EQ(store_.released->first, user_);
  EXPECT_EQ(store_.released->second, "key-2");
  EXPECT_EQ(store_.claims, 0);
}

}  // namespace
}  // namespace ferr::domain::idempotency
