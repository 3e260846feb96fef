#include "core/uuid.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "core/clock.hpp"
#include "core/random.hpp"

namespace ferr::core {
namespace {

using std::chrono::milliseconds;

constexpr const char* kCanonical = "0190163d-8694-739b-aea5-966c26f8ad91";

TEST(UuidParse, CanonicalLowercase) {
  auto u = Uuid::parse(kCanonical);
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->bytes[0], 0x01);
  EXPECT_EQ(u->bytes[1], 0x90);
  EXPECT_EQ(u->bytes[6], 0x73);
  EXPECT_EQ(u->bytes[8], 0xae);
  EXPECT_EQ(u->bytes[15], 0x91);
  EXPECT_EQ(u->to_string(), kCanonical);
}

TEST(UuidParse, UppercaseIsAcceptedAndPrintedLowercase) {
  auto u = Uuid::parse("0190163D-8694-739B-AEA5-966C26F8AD91");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->to_string(), kCanonical);
}

TEST(UuidParse, RejectsNonCanonicalForms) {
  for (const char* text : {
           "",
           "0190163d-8694-739b-aea5-966c26f8ad9",            // one digit short
           "0190163d-8694-739b-aea5-966c26f8ad911",          // one digit long
           "0190163d8694739baea5966c26f8ad91",               // no dashes
           "{0190163d-8694-739b-aea5-966c26f8ad91}",         // braces
           "0190163d-8694-739b-aea5_966c26f8ad91",           // wrong separator
           "0190163d8-694-739b-aea5-966c26f8ad91",           // dash in the wrong place
           "0190163g-8694-739b-aea5-966c26f8ad91",           // non-hex digit
           " 190163d-8694-739b-aea5-966c26f8ad91",           // space
           "urn:uuid:0190163d-8694-739b-aea5-966c26f8ad91",  // URN prefix
       }) {
    EXPECT_FALSE(Uuid::parse(text).has_value()) << text;
  }
}

TEST(UuidToString, RoundTripsThroughParse) {
  SeededRandom random(7);
  ManualClock clock(TimePoint(milliseconds(1'700'000'000'000)));
  for (int i = 0; i < 50; ++i) {
    Uuid u = Uuid::v7(clock, random);
    std::string text = u.to_string();
    ASSERT_EQ(text.size(), 36u);
    auto back = Uuid::parse(text);
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(*back, u);
  }
}

TEST(UuidV7, EncodesMillisecondsVersionAndVariant) {
  // 0x0190163d8694 ms since the epoch, plus sub-millisecond time that must be dropped.
  ManualClock clock(TimePoint(milliseconds(0x0190163d8694LL) + std::chrono::microseconds(999)));
  SeededRandom random(42);
  Uuid u = Uuid::v7(clock, random);

  const std::uint8_t expected_ms[6] = {0x01, 0x90, 0x16, 0x3d, 0x86, 0x94};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(u.bytes[i], expected_ms[i]) << "byte " << i;
  EXPECT_EQ(u.bytes[6] >> 4, 0x7);     // version 7
  EXPECT_EQ(u.bytes[8] & 0xc0, 0x80);  // RFC 9562 variant 0b10
  EXPECT_EQ(u.to_string().substr(0, 14), "0190163d-8694-");
  EXPECT_EQ(u.to_string()[14], '7');
}

TEST(UuidV7, VersionAndVariantHoldWhateverTheRandomBytes) {
  ManualClock clock(TimePoint(milliseconds(1'700'000'000'000)));
  SeededRandom random(1);
  for (int i = 0; i < 200; ++i) {
    Uuid u = Uuid::v7(clock, random);
    ASSERT_EQ(u.bytes[6] >> 4, 0x7);
    ASSERT_EQ(u.bytes[8] & 0xc0, 0x80);
  }
}

TEST(UuidV7, RandomPartComesFromTheInjectedRandom) {
  ManualClock clock(TimePoint(milliseconds(1'700'000'000'000)));
  SeededRandom a(99), b(99), c(100);
  Uuid from_a = Uuid::v7(clock, a);
  EXPECT_EQ(from_a, Uuid::v7(clock, b));  // same seed, same time: same id
  EXPECT_NE(from_a, Uuid::v7(clock, c));  // another seed: another id
  EXPECT_NE(from_a, Uuid::v7(clock, a));  // the generator moves on
}

TEST(UuidV7, LaterIdsSortAfterEarlierOnes) {
  ManualClock clock(TimePoint(milliseconds(1'700'000'000'000)));
  SeededRandom random(3);
  Uuid previous = Uuid::v7(clock, random);
  // Many steps, so that some random tails are smaller than the previous one's: the timestamp
  // prefix alone must decide the order, both as bytes and as canonical text.
  for (int i = 0; i < 100; ++i) {
    clock.advance(milliseconds(1));
    Uuid next = Uuid::v7(clock, random);
    ASSERT_LT(previous, next);
    ASSERT_LT(previous.to_string(), next.to_string());
    previous = next;
  }
}

TEST(UuidV7, IdsInTheSameMillisecondDiffer) {
  ManualClock clock(TimePoint(milliseconds(1'700'000'000'000)));
  SeededRandom random(5);
  std::set<Uuid> seen;
  for (int i = 0; i < 100; ++i) seen.insert(Uuid::v7(clock, random));
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace ferr::core
