#include "api/json_spans.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace ferr::api {
namespace {

TEST(JsonSpans, RawMemberIsTheValueExactlyAsWritten) {
  const std::string_view text =
      R"( { "a" : 1 , "p" : { "x" : "}" ,"y":[1, {"z":"\""}] } , "b":true } )";
  EXPECT_EQ(raw_member(text, "p"), R"({ "x" : "}" ,"y":[1, {"z":"\""}] })");
  EXPECT_EQ(raw_member(text, "a"), "1");
  EXPECT_EQ(raw_member(text, "b"), "true");
  EXPECT_EQ(raw_member(text, "c"), std::nullopt);
  EXPECT_EQ(raw_member(R"({"x":{"p":1}})", "p"), std::nullopt) << "only top-level members";
  EXPECT_EQ(raw_member(R"({"\u0070":"escaped name"})", "p"), R"("escaped name")");
  EXPECT_EQ(raw_member(R"({"a\"b":2})", "a\"b"), "2");
  EXPECT_EQ(raw_member("[1]", "p"), std::nullopt);
  EXPECT_EQ(raw_member("{}", "p"), std::nullopt);
}

TEST(JsonSpans, RawElementsSplitAnArrayAtItsTopLevel) {
  EXPECT_EQ(raw_elements(R"([ {"a":[1,2]} ,"x,y",3 ,null])"),
            (std::vector<std::string_view>{R"({"a":[1,2]})", R"("x,y")", "3", "null"}));
  EXPECT_TRUE(raw_elements("[]").empty());
  EXPECT_TRUE(raw_elements("{}").empty());
}

TEST(JsonSpans, TruncatedTextNeverReadsPastTheEnd) {
  EXPECT_EQ(raw_member(R"({"p":{"x":"unterminated)", "p"), std::nullopt);
  EXPECT_EQ(raw_member(R"({"p")", "p"), std::nullopt);
  EXPECT_EQ(raw_member(R"({"p":)", "p"), std::nullopt);
  EXPECT_EQ(raw_elements(R"([1,{"a":)").size(), 1u);
  EXPECT_TRUE(raw_elements("").empty());
  EXPECT_EQ(raw_member(R"({"p":"\)", "p"), std::nullopt);
}

}  // namespace
}  // namespace ferr::api
