// The hourly cells' rules: UTC hours, evidence that is the k smallest distinct pseudonyms whatever
// the order they come in, and a batch's deltas grouped and ordered by hour then event.

#include "domain/telemetry/hourly_counts.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace ferr::domain::telemetry {
namespace {

using namespace std::chrono_literals;

core::TimePoint at(std::int64_t ms) { return core::TimePoint(std::chrono::milliseconds(ms)); }

std::string pseudonym(char c) { return std::string(32, c); }

TEST(HourlyCounts, AnHourStartsOnTheUtcHour) {
  EXPECT_EQ(hour_of(at(0)), 0);
  EXPECT_EQ(hour_of(at(kHourMs - 1)), 0);
  EXPECT_EQ(hour_of(at(kHourMs)), kHourMs);
  const std::int64_t may_5_2026 = 1'777'939'200'000;  // 2026-05-05T00:00:00Z
  EXPECT_EQ(hour_of(at(may_5_2026 + 13 * kHourMs + 59 * 60'000 + 999)), may_5_2026 + 13 * kHourMs);
  EXPECT_EQ(hour_of(at(-1)), -kHourMs) << "floor, not truncation";
}

TEST(HourlyCounts, EvidenceKeepsTheCapSmallestDistinctPseudonyms) {
  Evidence evidence;
  for (char c : std::string("fbdbaeca")) add_pseudonym(evidence, pseudonym(c), 3);
  EXPECT_EQ(evidence, (Evidence{pseudonym('a'), pseudonym('b'), pseudonym('c')}));
  add_pseudonym(evidence, pseudonym('z'), 3);
  EXPECT_EQ(evidence.back(), pseudonym('c')) << "a larger one does not enter a full set";
  add_evidence(evidence, {pseudonym('0'), pseudonym('b')}, 3);
  EXPECT_EQ(evidence, (Evidence{pseudonym('0'), pseudonym('a'), pseudonym('b')}));
}

TEST(HourlyCounts, EvidenceDoesNotDependOnTheOrderOfArrival) {
  std::vector<std::string> all;
  for (char c : std::string("0123456789abcdef")) all.push_back(pseudonym(c));
  Evidence expected(all.begin(), all.begin() + 5);
  std::mt19937 shuffle(7);
  for (int round = 0; round < 20; ++round) {
    std::ranges::shuffle(all, shuffle);
    Evidence one_by_one;
    for (const auto& p : all) add_pseudonym(one_by_one, p, 5);
    EXPECT_EQ(one_by_one, expected);
    // The union of two capped halves is the capped whole.
    Evidence left, right;
    for (std::size_t i = 0; i < all.size(); ++i) add_pseudonym(i % 2 ? left : right, all[i], 5);
    add_evidence(left, right, 5);
    EXPECT_EQ(left, expected);
  }
}

TEST(HourlyCounts, ACapBelowTwoStillHoldsAtMostTheCap) {
  Evidence evidence;
  for (char c : std::string("cab")) add_pseudonym(evidence, pseudonym(c), 1);
  EXPECT_EQ(evidence, Evidence{pseudonym('a')});
}

TEST(HourlyCounts, DeltasGroupAHourAndEventAndComeInLockOrder) {
  auto row = [](std::string event, std::int64_t ms, std::optional<char> org,
                std::optional<char> user) {
    EventRow r;
    r.event = std::move(event);
    r.occurred_at = at(ms);
    if (org) r.org_hash = pseudonym(*org);
    if (user) r.user_hash = pseudonym(*user);
    return r;
  };
  const std::vector<EventRow> rows{
      row("cli.run", 2 * kHourMs + 5, std::nullopt, 'c'),
      row("auth.login", 2 * kHourMs + 1, std::nullopt, 'a'),
      row("cli.run", 2 * kHourMs + 9, std::nullopt, 'c'),
      row("cli.run", kHourMs + 1, std::nullopt, 'b'),
      row("org.created", 2 * kHourMs, 'o', 'u'),
      row("cli.run", 2 * kHourMs + 3, std::nullopt, 'a'),
      row("cli.run", 2 * kHourMs + 4, std::nullopt, std::nullopt),
  };
  std::vector<const EventRow*> pointers;
  for (const auto& r : rows) pointers.push_back(&r);
  const auto deltas = hourly_deltas(pointers, 5);
  ASSERT_EQ(deltas.size(), 4u);
  EXPECT_EQ(deltas[0].hour, kHourMs);
  EXPECT_EQ(deltas[0].event, "cli.run");
  EXPECT_EQ(deltas[0].count, 1);
  EXPECT_EQ(deltas[1].hour, 2 * kHourMs);
  EXPECT_EQ(deltas[1].event, "auth.login");
  EXPECT_EQ(deltas[2].event, "cli.run");
  EXPECT_EQ(deltas[2].count, 4);
  EXPECT_EQ(deltas[2].users, (Evidence{pseudonym('a'), pseudonym('c')}));
  EXPECT_TRUE(deltas[2].orgs.empty());
  EXPECT_EQ(deltas[3].event, "org.created");
  EXPECT_EQ(deltas[3].orgs, Evidence{pseudonym('o')});
  EXPECT_EQ(deltas[3].users, Evidence{pseudonym('u')});
}

}  // namespace
}  // namespace ferr::domain::telemetry
