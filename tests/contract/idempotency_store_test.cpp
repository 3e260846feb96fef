// The IdempotencyStore contract, run on every storage backend.

#include <gtest/gtest.h>

#include <future>
#include <string>
#include <vector>

#include "contract/contract_test.hpp"

namespace ferr::contract {
namespace {

using namespace std::chrono_literals;
using domain::idempotency::ClaimTimes;
using domain::idempotency::Entry;
using domain::idempotency::StoredResponse;

// The cutoffs the domain passes (24 hours kept, 2 minutes before an in-flight entry is abandoned);
// the store only compares times, so any values would do.
constexpr auto kKeep = 24h;
constexpr auto kAbandon = 2min;

class IdempotencyStoreContract : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    store_ = &backend_->idempotency();
    user_ = active_user("i@x.io");
    other_ = active_user("j@x.io");
  }

  // The instants the service passes at now().
  ClaimTimes times() {
    return {.now = now(), .expired_before = now() - kKeep, .abandoned_before = now() - kAbandon};
  }
  Entry claim(const core::UserId& user, const std::string& key, const std::string& fingerprint) {
    return run(store_->claim(user, key, fingerprint, times())).value();
  }
  Entry claim(const std::string& key, const std::string& fingerprint) {
    return claim(user_, key, fingerprint);
  }
  void complete(const core::UserId& user, const std::string& key, int status, std::string body) {
    ASSERT_TRUE(run(store_->complete(user, key, StoredResponse{status, std::move(body)})));
  }

  domain::idempotency::IdempotencyStore* store_ = nullptr;
  core::UserId user_;
  core::UserId other_;
};

TEST_P(IdempotencyStoreContract, TheFirstClaimTakesTheKey) {
  auto entry = claim("k", "fp");
  EXPECT_TRUE(entry.claimed);
  EXPECT_EQ(entry.fingerprint, "fp");
  EXPECT_FALSE(entry.response);
}

TEST_P(IdempotencyStoreContract, ASecondClaimWhileInFlightIsNotClaimed) {
  ASSERT_TRUE(claim("k", "fp").claimed);
  clock_.advance(1s);
  auto again = claim("k", "fp");
  EXPECT_FALSE(again.claimed);
  EXPECT_EQ(again.fingerprint, "fp");
  EXPECT_FALSE(again.response) << "still in flight";
}

TEST_P(IdempotencyStoreContract, ACompletedEntryReturnsItsResponse) {
  ASSERT_TRUE(claim("k", "fp").claimed);
  complete(user_, "k", 201, R"({"id":"x","name":"Ünïcødé \"quoted\""})");
  clock_.advance(1h);
  auto replay = claim("k", "fp");
  EXPECT_FALSE(replay.claimed);
  EXPECT_EQ(replay.fingerprint, "fp");
  ASSERT_TRUE(replay.response);
  EXPECT_EQ(replay.response->status, 201);
  EXPECT_EQ(replay.response->body, R"({"id":"x","name":"Ünïcødé \"quoted\""})");
  EXPECT_EQ(claim("k", "fp").response.value().status, 201) << "a replay leaves the entry in place";
}

TEST_P(IdempotencyStoreContract, ADifferentFingerprintKeepsTheOriginal) {
  ASSERT_TRUE(claim("k", "fp-a").claimed);
  auto in_flight = claim("k", "fp-b");
  EXPECT_FALSE(in_flight.claimed);
  EXPECT_EQ(in_flight.fingerprint, "fp-a");
  EXPECT_FALSE(in_flight.response);

  complete(user_, "k", 409, R"({"code":"ORG_SLUG_TAKEN"})");
  auto done = claim("k", "fp-b");
  EXPECT_FALSE(done.claimed);
  EXPECT_EQ(done.fingerprint, "fp-a");
  ASSERT_TRUE(done.response);
  EXPECT_EQ(done.response->status, 409);
  EXPECT_EQ(claim("k", "fp-a").fingerprint, "fp-a") << "the refused claim replaced nothing";
}

TEST_P(IdempotencyStoreContract, ReleaseLetsTheNextClaimRunAgain) {
  ASSERT_TRUE(claim("k", "fp").claimed);
  ASSERT_TRUE(run(store_->release(user_, "k")));
  auto again = claim("k", "fp-other");
  EXPECT_TRUE(again.claimed);
  EXPECT_EQ(again.fingerprint, "fp-other");
  EXPECT_FALSE(again.response);
  EXPECT_FALSE(claim("k", "fp").claimed) << "held again by the new claim";
}

TEST_P(IdempotencyStoreContract, EntriesCreatedBeforeExpiredBeforeAreForgotten) {
  ASSERT_TRUE(claim("k", "fp").claimed);
  complete(user_, "k", 201, "{}");
  clock_.advance(kKeep);
  auto kept = claim("k", "fp");
  EXPECT_FALSE(kept.claimed) << "created exactly at the cutoff: not before it";
  EXPECT_TRUE(kept.response);
  clock_.advance(1ms);
  auto expired = claim("k", "fp-new");
  EXPECT_TRUE(expired.claimed);
  EXPECT_EQ(expired.fingerprint, "fp-new");
  EXPECT_FALSE(expired.response) << "the old response is gone";
}

TEST_P(IdempotencyStoreContract, AbandonedInFlightEntriesAreTakenOver) {
  ASSERT_TRUE(claim("k", "fp-a").claimed);
  clock_.advance(kAbandon - 1ms);
  EXPECT_FALSE(claim("k", "fp-b").claimed) << "still young";
  clock_.advance(1ms);
  EXPECT_FALSE(claim("k", "fp-b").claimed) << "created exactly at the cutoff: not before it";
  clock_.advance(1ms);
  auto taken = claim("k", "fp-b");
  EXPECT_TRUE(taken.claimed);
  EXPECT_EQ(taken.fingerprint, "fp-b");
  EXPECT_FALSE(taken.response);

  auto after = claim("k", "fp-a");
  EXPECT_FALSE(after.claimed) << "the takeover starts a new in-flight period";
  EXPECT_EQ(after.fingerprint, "fp-b");
  complete(user_, "k", 201, "{}");
  EXPECT_EQ(claim("k", "fp-b").response.value().status, 201);
}

TEST_P(IdempotencyStoreContract, ACompletedEntryIsNeverTakenOverBeforeItExpires) {
  ASSERT_TRUE(claim("k", "fp").claimed);
  complete(user_, "k", 201, "{}");
  const std::chrono::milliseconds steps[] = {kAbandon + 1ms, 1h, 20h};
  for (auto step : steps) {
    clock_.advance(step);
    auto entry = claim("k", "fp-other");
    EXPECT_FALSE(entry.claimed);
    EXPECT_EQ(entry.fingerprint, "fp");
    ASSERT_TRUE(entry.response);
    EXPECT_EQ(entry.response->status, 201);
  }
}

TEST_P(IdempotencyStoreContract, KeysArePerUser) {
  ASSERT_TRUE(claim(user_, "k", "fp-a").claimed);
  auto theirs = claim(other_, "k", "fp-b");
  EXPECT_TRUE(theirs.claimed) << "another user's key of the same name";
  EXPECT_EQ(theirs.fingerprint, "fp-b");

  ASSERT_TRUE(run(store_->release(other_, "k")));
  auto mine = claim(user_, "k", "fp-a");
  EXPECT_FALSE(mine.claimed) << "releasing theirs does not release mine";
  EXPECT_EQ(mine.fingerprint, "fp-a");
  ASSERT_TRUE(claim(other_, "k", "fp-c").claimed);

  complete(user_, "k", 201, "mine");
  auto still = claim(other_, "k", "fp-c");
  EXPECT_FALSE(still.claimed);
  EXPECT_FALSE(still.response) << "completing mine does not complete theirs";
  EXPECT_EQ(claim(user_, "k", "fp-a").response.value().body, "mine");
}

TEST_P(IdempotencyStoreContract, ConcurrentClaimsOfOneKeyLetExactlyOneThrough) {
  for (int round = 0; round < 5; ++round) {
    std::string key = "key-" + std::to_string(round);
    std::promise<void> start;
    std::shared_future<void> started = start.get_future().share();
    std::vector<std::future<core::Result<Entry>>> calls;
    calls.reserve(8);
    for (int i = 0; i < 8; ++i) {
      calls.push_back(std::async(std::launch::async, [&] {
        started.wait();
        return run(store_->claim(user_, key, "fp", times()));
      }));
    }
    start.set_value();
    int claimed = 0;
    for (auto& call : calls) {
      auto entry = call.get();
      ASSERT_TRUE(entry) << entry.error().log_detail;
      claimed += entry->claimed;
      EXPECT_EQ(entry->fingerprint, "fp");
      EXPECT_FALSE(entry->response);
    }
    EXPECT_EQ(claimed, 1) << key;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, IdempotencyStoreContract, ::testing::ValuesIn(backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace ferr::contract
