// A stored value the code does not know fails loudly: an error, and a log line that names it.

#include "core/stored_value.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "core/log.hpp"

namespace ferr::core {
namespace {

enum class Colour { red, green };

std::optional<Colour> parse_colour(std::string_view text) {
  if (text == "red") return Colour::red;
  if (text == "green") return Colour::green;
  return std::nullopt;
}

TEST(KnownStoredValue, PassesAKnownValueThrough) {
  auto known = known_stored_value(parse_colour("green"), "paint.colour", "green");
  ASSERT_TRUE(known);
  EXPECT_EQ(*known, Colour::green);
}

TEST(KnownStoredValue, AnUnknownValueIsADatabaseErrorAndAnErrorLine) {
  std::ostringstream captured;
  log::init(log::Level::info, std::make_shared<spdlog::sinks::ostream_sink_mt>(captured));
  auto unknown = known_stored_value(parse_colour("ultraviolet"), "paint.colour", "ultraviolet");
  log::flush();
  log::shutdown();

  ASSERT_FALSE(unknown) << "never a default such as red";
  EXPECT_EQ(unknown.error().code, ErrorCode::internal_database);
  EXPECT_EQ(unknown.error().message, "internal database error") << "the client learns nothing";
  EXPECT_NE(unknown.error().log_detail.find("paint.colour"), std::string::npos);
  EXPECT_NE(unknown.error().log_detail.find("ultraviolet"), std::string::npos);

  std::string line = captured.str();
  EXPECT_NE(line.find(R"("level":"error")"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("msg":"unknown value in storage")"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("column":"paint.colour")"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("value":"ultraviolet")"), std::string::npos) << line;
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line: " << line;
}

}  // namespace
}  // namespace ferr::core
