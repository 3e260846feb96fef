#include "telemetry/pattern.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "telemetry/catalog.hpp"

namespace ferr::telemetry {
namespace {

// Compiled at run time here, so that a failing case reports instead of breaking the build.
bool matches(std::string_view pattern, std::string_view text) {
  Pattern p(pattern, "");
  EXPECT_TRUE(p.valid()) << pattern << ": " << p.error();
  return p.matches(text);
}

TEST(Pattern, LiteralsClassesAndAnchors) {
  EXPECT_TRUE(matches("^abc$", "abc"));
  EXPECT_FALSE(matches("^abc$", "abcd")) << "anchored at the end";
  EXPECT_FALSE(matches("^abc$", "xabc")) << "anchored at the start";
  EXPECT_FALSE(matches("^abc$", "ab"));
  EXPECT_FALSE(matches("^abc$", ""));
  EXPECT_TRUE(matches("^$", ""));
  EXPECT_FALSE(matches("^$", "a"));
  EXPECT_TRUE(matches("^[a-c0-9_-]$", "b"));
  EXPECT_TRUE(matches("^[a-c0-9_-]$", "7"));
  EXPECT_TRUE(matches("^[a-c0-9_-]$", "-")) << "a - last is literal";
  EXPECT_TRUE(matches("^[-a]$", "-")) << "a - first is literal";
  EXPECT_FALSE(matches("^[a-c0-9_-]$", "d"));
  EXPECT_TRUE(matches("^[.+]$", "+")) << "metacharacters are literal inside a class";
  EXPECT_TRUE(matches(R"(^a\.b\-c\\d\$$)", R"(a.b-c\d$)"));
  EXPECT_FALSE(matches(R"(^a\.b$)", "axb"));
  EXPECT_TRUE(matches("^a-b$", "a-b"));
}

TEST(Pattern, RepetitionAndAlternatives) {
  EXPECT_TRUE(matches("^ab?c$", "ac"));
  EXPECT_TRUE(matches("^ab?c$", "abc"));
  EXPECT_FALSE(matches("^ab?c$", "abbc"));
  EXPECT_TRUE(matches("^ab*c$", "ac"));
  EXPECT_TRUE(matches("^ab*c$", "abbbbc"));
  EXPECT_FALSE(matches("^ab+c$", "ac"));
  EXPECT_TRUE(matches("^ab+c$", "abbc"));
  EXPECT_TRUE(matches("^[0-9]{4}$", "2026"));
  EXPECT_FALSE(matches("^[0-9]{4}$", "202"));
  EXPECT_FALSE(matches("^[0-9]{4}$", "20266"));
  EXPECT_TRUE(matches("^x{2,3}$", "xx"));
  EXPECT_TRUE(matches("^x{2,3}$", "xxx"));
  EXPECT_FALSE(matches("^x{2,3}$", "x"));
  EXPECT_FALSE(matches("^x{2,3}$", "xxxx"));
  EXPECT_TRUE(matches("^x{2,}$", "xxxxxxxx"));
  EXPECT_FALSE(matches("^x{2,}$", "x"));
  EXPECT_TRUE(matches("^x{0,2}$", ""));
  EXPECT_TRUE(matches("^(ab|cd)+$", "abcdab"));
  EXPECT_FALSE(matches("^(ab|cd)+$", "abc"));
  EXPECT_TRUE(matches("^(a|b|c)$", "c"));
  EXPECT_TRUE(matches("^a|b$", "a")) << "| splits the whole pattern inside the anchors";
  EXPECT_TRUE(matches("^()$", ""));
  EXPECT_TRUE(matches("^(a*)*$", "aaaa")) << "a loop that can match nothing still ends";
}

TEST(Pattern, OnlyPrintableAsciiCanMatch) {
  EXPECT_FALSE(matches("^[a-z]+$", "caf\xc3\xa9"));
  EXPECT_FALSE(matches("^[ -~]+$", std::string("a\0b", 3))) << "NUL is not in any class";
  EXPECT_FALSE(matches("^[ -~]+$", "a\nb"));
  EXPECT_FALSE(matches("^[ -~]+$", "a\x7f"));
  EXPECT_TRUE(matches("^[ -~]+$", "any printable text"));
}

TEST(Pattern, InvalidPatternsAreReportedAndMatchNothing) {
  for (std::string_view bad :
       {"abc",   "^abc",  "abc$",  "^",      "^a$b$",   "^a^b$",        "^(ab$",
        "^ab)$", "^[ab$", "^[]$",  "^[^a]$", "^[z-a]$", "^.*$",         "^a**$",
        "^a+?$", "^*$",   "^{2}$", "^a{2$",  "^a{,2}$", "^a{3,2}$",     "^a{65}$",
        "^a\\$", "^\\a$", "^a}$",  "^a]$",   "^\t$",    "^caf\xc3\xa9$"}) {
    Pattern p(bad, "");
    EXPECT_FALSE(p.valid()) << bad;
    EXPECT_FALSE(p.error().empty()) << bad;
    EXPECT_FALSE(p.matches("")) << bad;
    EXPECT_FALSE(p.matches("abc")) << bad;
  }
}

TEST(Pattern, TooManyStatesIsAnError) {
  Pattern large("^(x{64}){64}$", "");
  EXPECT_FALSE(large.valid());
  EXPECT_EQ(large.error(), "the pattern compiles to too many states");
}

TEST(Pattern, WorkIsLinearInTheInput) {
  // The classic catastrophic case of a backtracking engine: (a|a)*b against a^n. A Pike VM keeps
  // one thread per state, so 100 000 characters take about as long as a few thousand.
  Pattern p("^(a|a)*b$", "b");
  std::string text(100'000, 'a');
  auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(p.matches(text));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(Pattern, TheCatalogPatternsAcceptTheirValuesAndNoFreeText) {
  struct Case {
    const Pattern& pattern;
    std::vector<std::string> good;
    std::vector<std::string> bad;
  };
  const Case cases[] = {
      {kSemverPattern,
       {"4.6.1", "0.0.0", "10.20.30", "1.0.0-rc.1", "1.0.0-alpha-beta.7", "4.6.1+build.5",
        "1.0.0-rc.1+sha.5114f85"},
       {"4.6", "v4.6.1", "04.6.1", "4.6.1-", "4.6.1+", "4.6.1 ", "4.6.1\n", "4.6.1-rc..1",
        "4.6.1-bob@example.com", "failed for bob@example.com from 203.0.113.7"}},
      {kCliErrorCodePattern,
       {"FF1001", "E1001", "FF0000", "E9999"},
       {"FF101", "FF10011", "ff1001", "E1001 ", "EE1001", "F1001", "FF1001\n",
        "failed for bob@example.com from 203.0.113.7"}},
      {kAgentSlugPattern,
       {"triage", "a", "code-review", "0day", std::string(40, 'a')},
       {"", "-triage", "Triage", "code_review", "code review", std::string(41, 'a'),
        "bob@example.com"}},
  };
  for (const auto& c : cases) {
    ASSERT_TRUE(c.pattern.valid()) << c.pattern.source() << ": " << c.pattern.error();
    EXPECT_TRUE(c.pattern.matches(c.pattern.example())) << c.pattern.source();
    for (const auto& v : c.good)
      EXPECT_TRUE(c.pattern.matches(v)) << c.pattern.source() << " " << v;
    for (const auto& v : c.bad)
      EXPECT_FALSE(c.pattern.matches(v)) << c.pattern.source() << " " << v;
  }
}

// Compiling and matching also run at build time: the catalog's checks rely on it.
static_assert(Pattern("^[a-z]{2}(-[A-Z]{2})?$", "en-GB").matches("en-GB"));
static_assert(!Pattern("^[a-z]{2}(-[A-Z]{2})?$", "").matches("en-gb"));
static_assert(!Pattern("^(unclosed$", "").valid());

}  // namespace
}  // namespace ferr::telemetry
