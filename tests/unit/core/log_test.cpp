#include "core/log.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <boost/json.hpp>

#include <cstdint>
#include <limits>
#include <memory>
#include <sstream>
#include <string>

#include "core/time_format.hpp"

namespace ferr::core::log {
namespace {

namespace json = boost::json;

// Parses one formatted line strictly; fails the test when it is not one JSON object.
json::object parse_line(const std::string& line) {
  EXPECT_EQ(line.find('\n'), std::string::npos) << "a log line must be a single line";
  boost::system::error_code ec;
  json::value v = json::parse(line, ec);
  EXPECT_FALSE(ec) << "not valid JSON: " << line;
  EXPECT_TRUE(v.is_object()) << line;
  return v.is_object() ? v.as_object() : json::object{};
}

TEST(FormatLine, HasTimestampLevelAndMessage) {
  json::object o = parse_line(format_line(Level::info, "server started", {}));
  ASSERT_EQ(o.size(), 3u);
  EXPECT_EQ(o.at("level").as_string(), "info");
  EXPECT_EQ(o.at("msg").as_string(), "server started");
  std::string ts(o.at("ts").as_string());
  EXPECT_TRUE(parse_rfc3339(ts).has_value()) << ts;
  EXPECT_EQ(ts.size(), std::string("2026-05-05T21:00:00.000Z").size()) << ts;
}

TEST(FormatLine, NamesEveryLevel) {
  for (auto [level, name] : {std::pair{Level::trace, "trace"}, std::pair{Level::debug, "debug"},
                             std::pair{Level::info, "info"}, std::pair{Level::warn, "warn"},
                             std::pair{Level::error, "error"}}) {
    EXPECT_EQ(parse_line(format_line(level, "m", {})).at("level").as_string(), name);
  }
}

TEST(FormatLine, TypesFieldValues) {
  json::object o = parse_line(format_line(Level::warn, "request",
                                          {{"route", "/v1/orgs/{slug}"},
                                           {"status", 404},
                                           {"bytes", std::uint64_t{123456789012}},
                                           {"delta", -7},
                                           {"cached", true},
                                           {"slow", false},
                                           {"seconds", 0.25}}));
  EXPECT_EQ(o.at("route").as_string(), "/v1/orgs/{slug}");
  EXPECT_EQ(o.at("status").as_int64(), 404);
  EXPECT_EQ(o.at("bytes").as_int64(), 123456789012);
  EXPECT_EQ(o.at("delta").as_int64(), -7);
  EXPECT_EQ(o.at("cached").as_bool(), true);
  EXPECT_EQ(o.at("slow").as_bool(), false);
  EXPECT_DOUBLE_EQ(o.at("seconds").as_double(), 0.25);
}

TEST(FormatLine, EscapesMessageKeysAndValues) {
  std::string hostile = "quote\" backslash\\ newline\n}{\"injected\":1";
  json::object o = parse_line(format_line(Level::error, hostile, {{"k\"ey", hostile}}));
  EXPECT_EQ(o.at("msg").as_string(), hostile);
  EXPECT_EQ(o.at("k\"ey").as_string(), hostile);
  EXPECT_FALSE(o.contains("injected"));
}

TEST(FormatLine, InvalidUtf8BecomesReplacementCharacter) {
  json::object o = parse_line(format_line(Level::info, "m", {{"raw", "ab\xff"}}));
  EXPECT_EQ(o.at("raw").as_string(), "ab\xef\xbf\xbd");
}

// JSON has no NaN or infinity: such a value must still leave a parseable line.
TEST(FormatLine, NonFiniteDoublesStayValidJson) {
  json::object o = parse_line(format_line(Level::info, "m",
                                          {{"nan", std::numeric_limits<double>::quiet_NaN()},
                                           {"inf", std::numeric_limits<double>::infinity()},
                                           {"ninf", -std::numeric_limits<double>::infinity()}}));
  EXPECT_TRUE(o.at("nan").is_null());
  EXPECT_TRUE(o.at("inf").is_null());
  EXPECT_TRUE(o.at("ninf").is_null());
}

TEST(ParseLevel, AcceptsEveryLevelName) {
  Level level = Level::off;
  for (auto [name, expected] : {std::pair{"trace", Level::trace}, std::pair{"debug", Level::debug},
                                std::pair{"info", Level::info}, std::pair{"warn", Level::warn},
                                std::pair{"error", Level::error}, std::pair{"off", Level::off}}) {
    ASSERT_TRUE(parse_level(name, level)) << name;
    EXPECT_EQ(level, expected) << name;
  }
}

TEST(ParseLevel, RejectsOtherSpellingsAndLeavesTheOutputAlone) {
  for (const char* text : {"", "INFO", "Info", "warning", "err", "info ", " debug", "fatal"}) {
    Level level = Level::debug;
    EXPECT_FALSE(parse_level(text, level)) << text;
    EXPECT_EQ(level, Level::debug) << text;
  }
}

TEST(Write, HonoursTheLevelAndWritesOneLinePerCall) {
  std::ostringstream captured;
  init(Level::warn, std::make_shared<spdlog::sinks::ostream_sink_mt>(captured));
  EXPECT_FALSE(enabled(Level::info));
  EXPECT_TRUE(enabled(Level::warn));
  EXPECT_TRUE(enabled(Level::error));
  info("dropped");
  warn("kept", {{"n", 1}});
  error("also kept");
  flush();
  shutdown();
  EXPECT_FALSE(enabled(Level::error));  // no logger after shutdown

  std::istringstream lines(captured.str());
  std::string first, second, extra;
  ASSERT_TRUE(std::getline(lines, first));
  ASSERT_TRUE(std::getline(lines, second));
  EXPECT_FALSE(std::getline(lines, extra)) << "unexpected line: " << extra;
  json::object a = parse_line(first);
  EXPECT_EQ(a.at("msg").as_string(), "kept");
  EXPECT_EQ(a.at("level").as_string(), "warn");
  EXPECT_EQ(a.at("n").as_int64(), 1);
  EXPECT_EQ(parse_line(second).at("msg").as_string(), "also kept");
}

}  // namespace
}  // namespace ferr::core::log
