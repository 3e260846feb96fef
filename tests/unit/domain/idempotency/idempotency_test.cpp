// The Idempotency-Key rules over the in-memory store: run, replay, key reused, in flight, the
// cut-offs handed to the store, and the caller's session checked before anything is claimed.

#include "domain/idempotency/idempotency.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "fakes/account_repository.hpp"
#include "fakes/database.hpp"
#include "fakes/idempotency_store.hpp"

namespace ferr::domain::idempotency {
namespace {

using namespace std::chrono_literals;

class IdempotencyTest : public ::testing::Test {
 protected:
  core::Result<Claim> claim(const std::string& fingerprint = "fp") {
    return core::run_to_completion(idempotency_.claim(caller_, "key-1", fingerprint));
  }
  /// Another request under the same key finished with this response.
  void completed_by_another(const std::string& fingerprint, StoredResponse response) {
    ASSERT_TRUE(claim(fingerprint));
    ASSERT_TRUE(core::run_to_completion(idempotency_.complete(caller_.user_id, "key-1", response)));
  }

  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  fakes::Database db_;
  fakes::FakeIdempotencyStore store_{db_};
  fakes::FakeAccountRepository accounts_{db_};
  Idempotency idempotency_{store_, accounts_, clock_};
  core::UserId user_ = db_.add_user("ada@example.com");
  accounts::Principal caller_ = db_.sign_in(user_);
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
  ASSERT_TRUE(store_.last_claim);
  EXPECT_EQ(store_.last_claim->user, user_);
  EXPECT_EQ(store_.last_claim->key, "key-1");
  EXPECT_EQ(store_.last_claim->fingerprint, "the-fingerprint");
  EXPECT_EQ(store_.last_claim->now, clock_.now());
  EXPECT_EQ(store_.last_claim->expired_before, clock_.now() - 24h);
  EXPECT_EQ(store_.last_claim->abandoned_before, clock_.now() - 2min);
}

TEST_F(IdempotencyTest, AClaimedKeyRuns) {
  auto decided = claim();
  ASSERT_TRUE(decided);
  EXPECT_EQ(decided->decision, Decision::run);
}

TEST_F(IdempotencyTest, AStoredResponseOfTheSameRequestIsReplayed) {
  completed_by_another("fp", StoredResponse{201, R"({"id":"x"})"});
  auto decided = claim();
  ASSERT_TRUE(decided);
  EXPECT_EQ(decided->decision, Decision::replay);
  EXPECT_EQ(decided->stored.status, 201);
  EXPECT_EQ(decided->stored.body, R"({"id":"x"})");
}

TEST_F(IdempotencyTest, AnotherRequestUnderTheKeyIsKeyReused) {
  completed_by_another("fp-other", StoredResponse{201, "{}"});
  auto done = claim();
  ASSERT_TRUE(done);
  EXPECT_EQ(done->decision, Decision::key_reused);

  db_.idempotency_keys.clear();
  ASSERT_TRUE(claim("fp-other"));  // in flight, never completed
  auto running = claim();
  ASSERT_TRUE(running);
  EXPECT_EQ(running->decision, Decision::key_reused) << "even while the other is in flight";
}

TEST_F(IdempotencyTest, TheSameRequestStillRunningIsInFlight) {
  ASSERT_EQ(claim()->decision, Decision::run);
  auto decided = claim();
  ASSERT_TRUE(decided);
  EXPECT_EQ(decided->decision, Decision::in_flight);
}

TEST_F(IdempotencyTest, AnAbandonedRequestIsTakenOverAndAnExpiredResponseForgotten) {
  ASSERT_EQ(claim()->decision, Decision::run);
  clock_.advance(2min + 1ms);
  EXPECT_EQ(claim()->decision, Decision::run) << "the first request died: its key is taken over";

  ASSERT_TRUE(
      core::run_to_completion(idempotency_.complete(user_, "key-1", StoredResponse{200, "{}"})));
  clock_.advance(24h + 1ms);
  EXPECT_EQ(claim("fp-other")->decision, Decision::run) << "a day later the key is free again";
}

TEST_F(IdempotencyTest, StoreErrorsPropagate) {
  store_.hooks.fail_next(core::Error::database("disk I/O error"), "claim");
  auto decided = claim();
  ASSERT_FALSE(decided);
  EXPECT_EQ(decided.error().code, core::ErrorCode::internal_database);
  EXPECT_EQ(decided.error().log_detail, "disk I/O error");
}

TEST_F(IdempotencyTest, ARevokedSessionClaimsNothing) {
  db_.revoke(caller_);
  auto decided = claim();
  ASSERT_FALSE(decided);
  EXPECT_EQ(decided.error().code, core::ErrorCode::auth_unauthorized);
  EXPECT_EQ(store_.hooks.calls(), 0) << "nothing is stored for a dead session";
  EXPECT_TRUE(db_.idempotency_keys.empty());
}

TEST_F(IdempotencyTest, ASessionOfAnotherUserClaimsNothing) {
  auto other = db_.add_user("bob@example.com");
  auto decided = core::run_to_completion(
      idempotency_.claim(accounts::Principal{other, caller_.session_id}, "key-1", "fp"));
  ASSERT_FALSE(decided);
  EXPECT_EQ(decided.error().code, core::ErrorCode::auth_unauthorized);
  EXPECT_EQ(store_.hooks.calls(), 0);
}

TEST_F(IdempotencyTest, SessionCheckErrorsPropagate) {
  accounts_.hooks.fail_next(core::Error::database("no reader"), "session_active");
  auto decided = claim();
  ASSERT_FALSE(decided);
  EXPECT_EQ(decided.error().code, core::ErrorCode::internal_database);
  EXPECT_EQ(store_.hooks.calls(), 0);
}

TEST_F(IdempotencyTest, CompleteAndReleaseGoToTheStore) {
  ASSERT_TRUE(
      core::run_to_completion(idempotency_.complete(user_, "key-1", StoredResponse{409, "{}"})));
  ASSERT_TRUE(store_.last_complete);
  EXPECT_EQ(store_.last_complete->user, user_);
  EXPECT_EQ(store_.last_complete->key, "key-1");
  EXPECT_EQ(store_.last_complete->response.status, 409);
  ASSERT_TRUE(core::run_to_completion(idempotency_.release(user_, "key-2")));
  ASSERT_TRUE(store_.last_release);
  EXPECT_EQ(store_.last_release->user, user_);
  EXPECT_EQ(store_.last_release->key, "key-2");
  EXPECT_EQ(store_.hooks.calls("claim"), 0);
}

TEST_F(IdempotencyTest, ReleaseFreesTheKeyForARetry) {
  ASSERT_EQ(claim()->decision, Decision::run);
  ASSERT_TRUE(core::run_to_completion(idempotency_.release(user_, "key-1")));
  EXPECT_EQ(claim()->decision, Decision::run) << "a server error: the retry runs again";
}

}  // namespace
}  // namespace ferr::domain::idempotency
