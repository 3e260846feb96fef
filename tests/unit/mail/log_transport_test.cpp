#include "mail/log_transport.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <string>

#include "test_helpers.hpp"

namespace ferr::mail {
namespace {

namespace json = boost::json;

TEST(LogTransport, WritesTheWholeMessageAsOneJsonLineAtInfo) {
  test::LogCapture log;
  LogTransport transport;
  ASSERT_TRUE(transport.deliver(
      {"ada@example.com", "Verify your e-mail", "Your code is 123456.\nSee you \"soon\"."}));
  auto lines = log.lines();
  ASSERT_EQ(lines.size(), 1u);
  json::object line = json::parse(lines[0]).as_object();
  EXPECT_EQ(line.at("level").as_string(), "info");
  EXPECT_EQ(line.at("msg").as_string(), "mail");
  EXPECT_EQ(line.at("to").as_string(), "ada@example.com");
  EXPECT_EQ(line.at("subject").as_string(), "Verify your e-mail");
  EXPECT_EQ(line.at("body").as_string(), "Your code is 123456.\nSee you \"soon\".");
}

TEST(LogTransport, RefusesHeaderInjectionLikeTheRealTransports) {
  test::LogCapture log;
  LogTransport transport;
  auto result = transport.deliver({"ada@example.com", "Hi\r\nBcc: eve@evil.test", "code 123456"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::validation_failed);
  EXPECT_TRUE(log.lines().empty());
}

}  // namespace
}  // namespace ferr::mail
