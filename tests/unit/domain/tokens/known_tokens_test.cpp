// What an instance keeps of the API tokens presented to it: their immutable facts, never a
// revoked one, and a bounded number of them.

#include "domain/tokens/known_tokens.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ferr::domain::tokens {
namespace {

PresentedToken token(std::uint8_t n, bool revoked = false) {
  PresentedToken t;
  t.id.value.bytes[15] = n;
  t.scopes = Scopes{true, false};
  t.revoked = revoked;
  return t;
}

TEST(KnownTokens, KeepsTokensFoundLiveByHash) {
  KnownTokens known;
  EXPECT_FALSE(known.find("a"));
  known.remember("a", token(1));
  auto found = known.find("a");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, token(1).id);
  EXPECT_FALSE(known.find("b"));
}

TEST(KnownTokens, NeverKeepsARevokedToken) {
  KnownTokens known;
  known.remember("a", token(1, true));
  EXPECT_FALSE(known.find("a"));
}

TEST(KnownTokens, RemembersTheLastUseItRecorded) {
  KnownTokens known;
  known.remember("a", token(1));
  const core::TimePoint at{std::chrono::seconds(1'800'000'000)};
  known.used("a", at);
  EXPECT_EQ(known.find("a")->last_used_at, at);
  known.used("unknown", at);  // nothing to note
  EXPECT_FALSE(known.find("unknown"));
}

TEST(KnownTokens, StartsAgainEmptyPastItsCapacity) {
  KnownTokens known;
  for (std::size_t i = 0; i < KnownTokens::kCapacity; ++i)
    known.remember("h" + std::to_string(i), token(1));
  EXPECT_TRUE(known.find("h0"));
  known.remember("one more", token(2));
  EXPECT_FALSE(known.find("h0"));
  EXPECT_TRUE(known.find("one more"));
}

}  // namespace
}  // namespace ferr::domain::tokens
