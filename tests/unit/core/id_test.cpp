// Strong ids: parse, print, generate, compare, and never convert into one another.

#include "core/id.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <type_traits>

namespace ferr::core {
namespace {

static_assert(!std::is_convertible_v<UserId, OrgId>, "a user id is never an org id");
static_assert(!std::is_constructible_v<OrgId, UserId>);
static_assert(!std::is_convertible_v<Uuid, SessionId>, "a bare UUID must be named explicitly");
static_assert(!std::is_same_v<SubscriptionId, AuditEntryId>);

constexpr const char* kText = "0190f5c2-7b1a-7cde-8f00-123456789abc";

TEST(Id, ParsesTheCanonicalTextInEitherCase) {
  auto id = UserId::parse(kText);
  ASSERT_TRUE(id);
  EXPECT_EQ(id->value, Uuid::parse(kText).value());
  EXPECT_EQ(id->to_string(), kText);
  auto upper = OrgId::parse("0190F5C2-7B1A-7CDE-8F00-123456789ABC");
  ASSERT_TRUE(upper);
  EXPECT_EQ(upper->to_string(), kText) << "printed lowercase";
}

TEST(Id, RefusesAnythingElse) {
  for (const char* bad :
       {"", "not-a-uuid", "0190f5c2-7b1a-7cde-8f00-123456789ab",
        "0190f5c2-7b1a-7cde-8f00-123456789abcd", "0190f5c27b1a7cde8f00123456789abc",
        "{0190f5c2-7b1a-7cde-8f00-123456789abc}", "0190f5c2-7b1a-7cde-8f00-123456789abg",
        " 0190f5c2-7b1a-7cde-8f00-123456789abc"})
    EXPECT_FALSE(SessionId::parse(bad)) << bad;
}

TEST(Id, GeneratesTimeOrderedVersion7Ids) {
  ManualClock clock(TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5)));
  SeededRandom random(7);
  auto first = AuditEntryId::generate(clock, random);
  clock.advance(std::chrono::milliseconds(1));
  auto second = AuditEntryId::generate(clock, random);
  EXPECT_EQ(first.value.bytes[6] >> 4, 7) << "version 7";
  EXPECT_EQ(first.value.bytes[8] >> 6, 2) << "RFC 9562 variant";
  EXPECT_LT(first, second) << "a later millisecond sorts later";
  EXPECT_EQ(AuditEntryId::parse(first.to_string()), first) << "round trip";

  SeededRandom same_seed(7);
  clock.set(TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5)));
  EXPECT_EQ(AuditEntryId::generate(clock, same_seed), first) << "same clock, same seed";
}

TEST(Id, ComparesAndOrdersByTheUuid) {
  auto a = OrgId::parse("00000000-0000-7000-8000-000000000001").value();
  auto b = OrgId::parse("00000000-0000-7000-8000-000000000002").value();
  EXPECT_EQ(a, OrgId::parse("00000000-0000-7000-8000-000000000001").value());
  EXPECT_NE(a, b);
  EXPECT_LT(a, b);
  EXPECT_GT(b, a);
  EXPECT_LE(a, a);
  std::set<OrgId> ordered{b, a, b};
  ASSERT_EQ(ordered.size(), 2u);
  EXPECT_EQ(*ordered.begin(), a);
  EXPECT_EQ(OrgId{}.to_string(), "00000000-0000-0000-0000-000000000000") << "nil by default";
}

}  // namespace
}  // namespace ferr::core
