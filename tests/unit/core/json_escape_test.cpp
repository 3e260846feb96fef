#include "core/json_escape.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <string>
#include <string_view>

namespace ferr::core {
namespace {

using namespace std::string_literals;

std::string json_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

TEST(AppendJsonString, QuotesPlainText) { EXPECT_EQ(json_string("hello"), R"("hello")"); }

TEST(AppendJsonString, AppendsToExistingOutput) {
  std::string out = "{\"k\":";
  append_json_string(out, "v");
  EXPECT_EQ(out, R"({"k":"v")");
}

TEST(AppendJsonString, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(json_string(R"(say "hi" \ bye)"), R"("say \"hi\" \\ bye")");
}

TEST(AppendJsonString, EscapesControlCharacters) {
  EXPECT_EQ(json_string("a\nb\rc\td"), R"("a\nb\rc\td")");
  EXPECT_EQ(json_string("\x01\x1f\x7f"), R"("\u0001\u001f\u007f")");
  EXPECT_EQ(json_string("a\0b"s), R"("a\u0000b")");
}

TEST(AppendJsonString, KeepsValidMultiByteUtf8) {
  EXPECT_EQ(json_string("caf\xc3\xa9"), "\"caf\xc3\xa9\"");            // 2 bytes: é
  EXPECT_EQ(json_string("\xe2\x82\xac 5"), "\"\xe2\x82\xac 5\"");      // 3 bytes: €
  EXPECT_EQ(json_string("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");  // 4 bytes: 😀
  EXPECT_EQ(json_string("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\"");  // U+10FFFF, the last
  EXPECT_EQ(json_string("\xef\xbf\xbd"), "\"\xef\xbf\xbd\"");          // U+FFFD itself
}

TEST(AppendJsonString, ReplacesInvalidBytesWithReplacementCharacter) {
  EXPECT_EQ(json_string("a\x80z"), R"("a\ufffdz")");        // lone continuation byte
  EXPECT_EQ(json_string("\xff"), R"("\ufffd")");            // never valid in UTF-8
  EXPECT_EQ(json_string("\xe2\x82"), R"("\ufffd\ufffd")");  // truncated sequence at the end
  EXPECT_EQ(json_string("\xc3(x"), R"("\ufffd(x")");        // lead byte without continuation
  EXPECT_EQ(json_string("\xf8\x88\x80\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd\ufffd")");  // 5 bytes
}

TEST(AppendJsonString, RejectsOverlongEncodings) {
  EXPECT_EQ(json_string("\xc0\xaf"), R"("\ufffd\ufffd")");                      // '/' in 2 bytes
  EXPECT_EQ(json_string("\xc1\xbf"), R"("\ufffd\ufffd")");                      // U+007F in 2 bytes
  EXPECT_EQ(json_string("\xe0\x80\xaf"), R"("\ufffd\ufffd\ufffd")");            // '/' in 3 bytes
  EXPECT_EQ(json_string("\xf0\x82\x82\xac"), R"("\ufffd\ufffd\ufffd\ufffd")");  // € in 4 bytes
}

TEST(AppendJsonString, RejectsSurrogatesAndCodePointsAboveTheMaximum) {
  EXPECT_EQ(json_string("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");            // U+D800
  EXPECT_EQ(json_string("\xed\xbf\xbf"), R"("\ufffd\ufffd\ufffd")");            // U+DFFF
  EXPECT_EQ(json_string("\xf4\x90\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")");  // U+110000
}

// Whatever the bytes, the output must be a JSON string that a strict parser accepts.
TEST(AppendJsonString, EveryByteAndBytePairYieldsValidJson) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      std::string input{static_cast<char>(a), static_cast<char>(b)};
      std::string out = json_string(input);
      boost::system::error_code ec;
      boost::json::value v = boost::json::parse(out, ec);
      ASSERT_FALSE(ec) << "bytes " << a << ", " << b << " gave " << out;
      ASSERT_TRUE(v.is_string());
    }
  }
}

TEST(AppendJsonString, ValidTextSurvivesAParseRoundTrip) {
  std::string text = "line 1\nline \"2\"\t\\ caf\xc3\xa9 \xf0\x9f\x98\x80 \x01";
  boost::json::value v = boost::json::parse(json_string(text));
  EXPECT_EQ(v.as_string(), text);
}

}  // namespace
}  // namespace ferr::core
