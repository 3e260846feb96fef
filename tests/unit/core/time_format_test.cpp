#include "core/time_format.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace ferr::core {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

// 2026-05-05T21:00:00Z, the example of api.md.
TimePoint example() { return TimePoint(sys_days{2026y / May / 5} + 21h); }

TEST(FormatRfc3339Ms, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(format_rfc3339_ms(example()), "2026-05-05T21:00:00.000Z");
  EXPECT_EQ(format_rfc3339_ms(TimePoint{}), "1970-01-01T00:00:00.000Z");
}

TEST(FormatRfc3339Ms, PadsEveryField) {
  TimePoint t(sys_days{2001y / February / 3} + 4h + 5min + 6s + 7ms);
  EXPECT_EQ(format_rfc3339_ms(t), "2001-02-03T04:05:06.007Z");
}

TEST(FormatRfc3339Ms, TruncatesBelowTheMillisecond) {
  EXPECT_EQ(format_rfc3339_ms(example() + 123ms + 999us), "2026-05-05T21:00:00.123Z");
  EXPECT_EQ(format_rfc3339_ms(example() + 59min + 59s + 999ms), "2026-05-05T21:59:59.999Z");
}

TEST(FormatRfc3339Ms, CoversTheWholeClockBeforeAndAfter1970) {
  EXPECT_EQ(format_rfc3339_ms(TimePoint{} - 1ms), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339_ms(TimePoint::min()), "1677-09-21T00:12:43.146Z");
  EXPECT_EQ(format_rfc3339_ms(TimePoint::max()), "2262-04-11T23:47:16.854Z");
}

TEST(FormatDate, IsTheFullDateOfRfc3339) {
  using std::chrono::year;
  EXPECT_EQ(format_date(std::chrono::sys_days(year(2026) / 5 / 5)), "2026-05-05");
  EXPECT_EQ(format_date(std::chrono::sys_days(year(987) / 12 / 31)), "0987-12-31");
  EXPECT_EQ(format_date(std::chrono::sys_days{}), "1970-01-01");
}

TEST(ParseRfc3339, ParsesUtcWithoutFraction) {
  EXPECT_EQ(parse_rfc3339("2026-05-05T21:00:00Z"), example());
}

TEST(ParseRfc3339, ParsesFractionsOfAnyLength) {
  EXPECT_EQ(parse_rfc3339("2026-05-05T21:00:00.5Z"), example() + 500ms);
  EXPECT_EQ(parse_rfc3339("2026-05-05T21:00:00.123Z"), example() + 123ms);
  EXPECT_EQ(parse_rfc3339("2026-05-05T21:00:00.000001Z"), example() + 1us);
  EXPECT_EQ(parse_rfc3339("2026-05-05T21:00:00.123456789Z"), example() + 123456789ns);
  // Digits beyond nanoseconds are accepted and dropped.
  EXPECT_EQ(parse_rfc3339("2026-05-05T21:00:00.1234567899Z"), example() + 123456789ns);
}

TEST(ParseRfc3339, AppliesNumericOffsets) {
  EXPECT_EQ(parse_rfc3339("2026-05-05T23:00:00+02:00"), example());
  EXPECT_EQ(parse_rfc3339("2026-05-05T15:30:00-05:30"), example());
  EXPECT_EQ(parse_rfc3339("2026-05-05T21:00:00+00:00"), example());
  EXPECT_EQ(parse_rfc3339("2026-05-06T00:00:00.250+03:00"), example() + 250ms);
}

TEST(ParseRfc3339, AcceptsLowercaseSeparators) {
  EXPECT_EQ(parse_rfc3339("2026-05-05t21:00:00z"), example());
}

TEST(ParseRfc3339, RoundTripsFormattedTimes) {
  TimePoint t = example() + 12345678ms;
  auto back = parse_rfc3339(format_rfc3339_ms(t));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, t);
}

TEST(ParseRfc3339, RejectsMalformedInput) {
  for (const char* text : {
           "",
           "2026-05-05",                     // date only
           "2026-05-05T21:00:00",            // missing zone
           "2026-05-05T21:00:00.000",        // missing zone after a fraction
           "2026-13-05T21:00:00Z",           // month 13
           "2026-00-05T21:00:00Z",           // month 0
           "2026-02-30T21:00:00Z",           // no such day
           "2026-05-00T21:00:00Z",           // day 0
           "2026-05-05T24:00:00Z",           // hour 24
           "2026-05-05T21:60:00Z",           // minute 60
           "2026-05-05T21:00:61Z",           // second 61
           "2026-05-05 21:00:00Z",           // space instead of T
           "2026/05/05T21:00:00Z",           // wrong date separator
           "2026-05-05T21-00-00Z",           // wrong time separator
           "2026-5-05T21:00:00Z",            // unpadded month
           "2026-05-05T21:00:00.Z",          // empty fraction
           "2026-05-05T21:00:00Z ",          // trailing space
           "2026-05-05T21:00:00Zjunk",       // trailing garbage
           "2026-05-05T21:00:00+02:00junk",  // trailing garbage after an offset
           "2026-05-05T21:00:00+02",         // offset without minutes
           "2026-05-05T21:00:00+0200",       // offset without colon
           "2026-05-05T21:00:00+2:00",       // unpadded offset
           "2026-05-05T21:00:00+24:00",      // offset hour out of range
           "2026-05-05T21:00:00+02:60",      // offset minute out of range
           "2026-05-05T21:00:00UTC",         // named zone
           "+2026-05-05T21:00:00Z",          // sign before the year
       }) {
    EXPECT_FALSE(parse_rfc3339(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace ferr::core
