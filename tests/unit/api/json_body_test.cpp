#include "api/json_body.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

namespace ferr::api {
namespace {

using core::ErrorCode;

// The body must be refused as malformed JSON, with a sentence for the client and no field.
void expect_bad_request(std::string_view body) {
  auto parsed = parse_json_body(body);
  ASSERT_FALSE(parsed) << "accepted: " << boost::json::serialize(*parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::bad_request);
  EXPECT_FALSE(parsed.error().message.empty());
  EXPECT_FALSE(parsed.error().field.has_value());
  EXPECT_TRUE(parsed.error().log_detail.empty());
}

void expect_duplicate(std::string_view body, std::string_view name) {
  auto parsed = parse_json_body(body);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::validation_failed);
  ASSERT_TRUE(parsed.error().field.has_value());
  EXPECT_EQ(*parsed.error().field, name);
}

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string nested_objects(std::size_t depth) {
  std::string s;
  for (std::size_t i = 0; i < depth; ++i) s += R"({"a":)";
  s += "1";
  s += std::string(depth, '}');
  return s;
}

TEST(JsonBody, ParsesAnObject) {
  auto parsed = parse_json_body(R"( {"email":"a@b.c","n":3,"ok":true,"x":null,"l":[1,2.5,"s"]} )");
  ASSERT_TRUE(parsed);
  const auto& o = parsed->as_object();
  EXPECT_EQ(o.at("email").as_string(), "a@b.c");
  EXPECT_EQ(o.at("n").as_int64(), 3);
  EXPECT_TRUE(o.at("ok").as_bool());
  EXPECT_TRUE(o.at("x").is_null());
  EXPECT_EQ(o.at("l").as_array().size(), 3U);
}

TEST(JsonBody, BuildsTheDocumentInTheStorageItIsGiven) {
  const std::string_view body = R"({"surface":"ferrflow","properties":{"os":"linux","n":[1,2]}})";
  boost::json::monotonic_resource arena;
  auto in_arena = parse_json_body(body, &arena);
  ASSERT_TRUE(in_arena);
  EXPECT_EQ(in_arena->storage().get(), &arena);
  EXPECT_EQ(in_arena->at("properties").storage().get(), &arena);
  auto on_heap = parse_json_body(body);
  ASSERT_TRUE(on_heap);
  EXPECT_EQ(*in_arena, *on_heap);
  EXPECT_NE(on_heap->storage().get(), &arena);
}

TEST(JsonBody, DetectsADuplicateWhenTheNamesOutgrowTheParsersOwnBuffer) {
  // Member names longer in all than the handler's stack buffer, in nested objects, the
  // duplicate at the far end: the names spill onto the heap and are still compared.
  std::string body = R"({"outer":{)";
  for (int i = 0; i < 200; ++i) body += "\"" + std::string(40, 'n') + std::to_string(i) + "\":{},";
  body += "\"" + std::string(40, 'n') + "7\":1}}";
  expect_duplicate(body, std::string(40, 'n') + "7");
}

TEST(JsonBody, ParsesScalarsAndArraysAtTopLevel) {
  // The parser accepts any JSON document; ObjectReader::of is what insists on an object.
  EXPECT_TRUE(parse_json_body("[]"));
  EXPECT_TRUE(parse_json_body("\"text\""));
  EXPECT_TRUE(parse_json_body("0"));
  EXPECT_TRUE(parse_json_body("null"));
}

TEST(JsonBody, RejectsAnEmptyBody) {
  expect_bad_request("");
  expect_bad_request("   \r\n\t ");
  EXPECT_EQ(parse_json_body("").error().message, "request body is empty");
}

TEST(JsonBody, RejectsMalformedDocuments) {
  expect_bad_request("{");
  expect_bad_request(R"({"a":})");
  expect_bad_request(R"({"a" 1})");
  expect_bad_request(R"({'a':1})");
  expect_bad_request(R"({a:1})");
  expect_bad_request("[1 2]");
  expect_bad_request(R"("unterminated)");
  expect_bad_request("tru");
  expect_bad_request(R"("bad escape \x")");
  expect_bad_request("01");
  expect_bad_request("+1");
  expect_bad_request(".5");
  expect_bad_request("1.");
  expect_bad_request("1e");
  expect_bad_request("0x10");
}

TEST(JsonBody, RejectsTrailingCommas) {
  expect_bad_request(R"({"a":1,})");
  expect_bad_request("[1,2,]");
  expect_bad_request("[,]");
}

TEST(JsonBody, RejectsComments) {
  expect_bad_request("{} // comment");
  expect_bad_request(R"({/* c */"a":1})");
  expect_bad_request("# c\n{}");
}

TEST(JsonBody, RejectsNanAndInfinityLiterals) {
  expect_bad_request(R"({"a":NaN})");
  expect_bad_request(R"({"a":Infinity})");
  expect_bad_request(R"({"a":-Infinity})");
}

TEST(JsonBody, RejectsTrailingData) {
  expect_bad_request("{} {}");
  expect_bad_request("{}x");
  expect_bad_request("1 2");
  expect_bad_request(std::string_view("{}\0", 3));
  EXPECT_EQ(parse_json_body("{}]").error().message,
            "request body has data after the JSON document");
  EXPECT_TRUE(parse_json_body("{}  \r\n"));  // blanks after the document are fine
}

TEST(JsonBody, RejectsAByteOrderMark) {
  // RFC 8259 forbids sending one; accepting it would make our bodies a superset of JSON.
  expect_bad_request("\xEF\xBB\xBF{}");
}

TEST(JsonBody, RejectsRawControlCharactersInStrings) {
  expect_bad_request(std::string_view("\"a\0b\"", 5));
  expect_bad_request("\"a\nb\"");
  expect_bad_request("\"a\tb\"");
}

TEST(JsonBody, AcceptsEscapedControlCharactersAndSurrogatePairs) {
  auto parsed = parse_json_body(R"(["a\u0000b", "\ud83d\ude00", "\u00e9"])");
  ASSERT_TRUE(parsed);
  const auto& a = parsed->as_array();
  EXPECT_EQ(std::string_view(a[0].as_string()), std::string_view("a\0b", 3));
  EXPECT_EQ(a[1].as_string(), "\xF0\x9F\x98\x80");
  EXPECT_EQ(a[2].as_string(), "\xC3\xA9");
}

TEST(JsonBody, RejectsLoneEscapedSurrogates) {
  expect_bad_request(R"("\ud800")");
  expect_bad_request(R"("\udc00")");
  expect_bad_request(R"("\ud800x")");
  expect_bad_request(R"("\ud800\u0041")");
  expect_bad_request(R"("\ude00\ud83d")");
}

TEST(JsonBody, AcceptsValidMultibyteUtf8) {
  auto parsed =
      parse_json_body("{\"n\xC3\xA9\":\"\xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF\"}");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->as_object().contains("n\xC3\xA9"));
}

TEST(JsonBody, RejectsInvalidUtf8) {
  const char* const cases[] = {
      "\"\xC0\xAF\"",          // overlong '/'
      "\"\xC1\xBF\"",          // overlong, two bytes
      "\"\xE0\x80\xAF\"",      // overlong, three bytes
      "\"\xF0\x80\x80\xAF\"",  // overlong, four bytes
      "\"\xED\xA0\x80\"",      // UTF-16 surrogate D800 encoded directly
      "\"\xED\xBF\xBF\"",      // surrogate DFFF
      "\"\xF4\x90\x80\x80\"",  // above U+10FFFF
      "\"\xF5\x80\x80\x80\"",  // lead byte that never occurs
      "\"\xFF\"",              // invalid byte
      "\"\x80\"",              // lone continuation byte
      "\"\xC3\"",              // truncated two-byte sequence
      "\"\xE2\x82\"",          // truncated three-byte sequence
      "\"\xF0\x9F\x98\"",      // truncated four-byte sequence
      "\"\xE2\x28\xA1\"",      // bad continuation
      "\"\xC3\xA9\xA9\"",      // extra continuation
  };
  for (const char* body : cases) {
    SCOPED_TRACE(body);
    expect_bad_request(body);
    EXPECT_EQ(parse_json_body(body).error().message, "request body is not valid UTF-8");
  }
  expect_bad_request("{\"\xC0\xAF\":1}");  // in a member name
  expect_bad_request("{\"a\":1}\xC3");     // truncated at the very end
  expect_bad_request("\xE2\x82");          // truncated, the whole body
}

TEST(JsonBody, AcceptsThirtyTwoLevelsOfNesting) {
  EXPECT_TRUE(parse_json_body(nested_arrays(kMaxJsonDepth)));
  EXPECT_TRUE(parse_json_body(nested_objects(kMaxJsonDepth)));
  EXPECT_EQ(kMaxJsonDepth, 32U);
}

TEST(JsonBody, RejectsThirtyThreeLevelsOfNesting) {
  expect_bad_request(nested_arrays(kMaxJsonDepth + 1));
  expect_bad_request(nested_objects(kMaxJsonDepth + 1));
  EXPECT_EQ(parse_json_body(nested_arrays(33)).error().message,
            "request body is nested too deeply");
  expect_bad_request(nested_arrays(100000));  // no recursion to blow the stack
}

TEST(JsonBody, CountsMixedArraysAndObjectsAsOneDepth) {
  std::string mixed;
  for (int i = 0; i < 16; ++i) mixed += R"([{"k":)";
  mixed += "0";
  for (int i = 0; i < 16; ++i) mixed += "}]";
  EXPECT_TRUE(parse_json_body(mixed));
  expect_bad_request("[" + mixed + "]");
}

TEST(JsonBody, RejectsADuplicateAtTopLevel) {
  expect_duplicate(R"({"email":"a@b.c","email":"x@y.z"})", "email");
  expect_duplicate(R"({"a":1,"b":2,"a":1})", "a");  // even with the same value
  auto parsed = parse_json_body(R"({"a":1,"a":2})");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message, "member name appears twice in one object");
}

TEST(JsonBody, RejectsADuplicateInANestedObject) {
  expect_duplicate(R"({"outer":{"x":1,"y":2,"x":3}})", "x");
  expect_duplicate(R"({"list":[{"id":1},{"id":2,"id":3}]})", "id");
  expect_duplicate(R"([[[{"deep":{"k":1,"k":2}}]]])", "k");
}

TEST(JsonBody, RejectsDuplicatesSpelledWithEscapes) {
  // The names are compared after unescaping: "\u0061" is "a".
  expect_duplicate(R"({"a":1,"\u0061":2})", "a");
  expect_duplicate(R"({"\u00e9":1,"é":2})", "\xC3\xA9");
}

TEST(JsonBody, PrefersBadRequestWhenABodyWithADuplicateIsAlsoMalformed) {
  expect_bad_request(R"({"a":1,"a":2)");
  expect_bad_request(R"({"a":1,"a":2} x)");
  expect_bad_request(R"({"a":1,"a":2,"n":1e400})");
  expect_bad_request("{\"a\":1,\"a\":\"\xC0\xAF\"}");
}

TEST(JsonBody, NamesTheFirstNameSeenTwice) {
  expect_duplicate(R"({"a":1,"b":2,"b":3,"a":4})", "b");
}

TEST(JsonBody, AllowsTheSameNameInDifferentObjects) {
  auto parsed = parse_json_body(R"({"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}],"c":{"b":1}})");
  ASSERT_TRUE(parsed);
}

TEST(JsonBody, AllowsSiblingObjectsToReuseNames) {
  // A closed object's names must not leak into the next object at the same depth.
  EXPECT_TRUE(parse_json_body(R"([{"a":1,"b":2},{"a":3,"b":4},{"b":5,"a":6}])"));
  EXPECT_TRUE(parse_json_body(R"({"x":{"a":1},"y":{"a":2}})"));
}

TEST(JsonBody, DistinguishesNamesThatDifferOnlyInCaseOrLength) {
  EXPECT_TRUE(parse_json_body(R"({"a":1,"A":2,"aa":3,"":4})"));
  expect_duplicate(R"({"":1,"":2})", "");
}

TEST(JsonBody, DetectsDuplicatesAmongManyMembers) {
  std::string body = "{";
  for (int i = 0; i < 5000; ++i)
    body += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  body += R"("k4321":0})";
  expect_duplicate(body, "k4321");
}

TEST(JsonBody, KeepsIntegersAsIntegers) {
  auto parsed = parse_json_body("[0,-0,9223372036854775807,-9223372036854775808,2.0,1e2]");
  ASSERT_TRUE(parsed);
  const auto& a = parsed->as_array();
  EXPECT_TRUE(a[0].is_int64());
  EXPECT_TRUE(a[1].is_int64());
  EXPECT_EQ(a[2].as_int64(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(a[3].as_int64(), std::numeric_limits<std::int64_t>::min());
  EXPECT_TRUE(a[4].is_double());
  EXPECT_TRUE(a[5].is_double());
}

TEST(JsonBody, TurnsHugeIntegersIntoDoubles) {
  auto parsed = parse_json_body(
      "[18446744073709551615,18446744073709551616,-9223372036854775809,"
      "123456789012345678901234567890123456789012345678901234567890]");
  ASSERT_TRUE(parsed);
  const auto& a = parsed->as_array();
  EXPECT_EQ(a[0].as_uint64(), std::numeric_limits<std::uint64_t>::max());
  EXPECT_TRUE(a[1].is_double());
  EXPECT_TRUE(a[2].is_double());
  EXPECT_TRUE(a[3].is_double());
}

TEST(JsonBody, AcceptsTinyAndLargeFiniteExponents) {
  auto parsed = parse_json_body("[1e-400,1e308,-1.7976931348623157e308,0.1e309]");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->as_array()[0].as_double(), 0.0);
  EXPECT_EQ(parsed->as_array()[3].as_double(), 1e308);
}

TEST(JsonBody, RoundsDoublesCorrectly) {
  // Boost 1.81 alone reads the first one 1 ULP off (as DBL_MIN).
  auto parsed = parse_json_body("[2.2250738585072011e-308,0.1,-2.5e-3,4.9406564584124654e-324]");
  ASSERT_TRUE(parsed);
  const auto& a = parsed->as_array();
  EXPECT_EQ(a[0].as_double(), 2.2250738585072011e-308);
  EXPECT_EQ(a[1].as_double(), 0.1);
  EXPECT_EQ(a[2].as_double(), -2.5e-3);
  EXPECT_EQ(a[3].as_double(), 4.9406564584124654e-324);
}

TEST(JsonBody, KeepsDoublesThroughSerializeAndParse) {
  // Found by the fuzzer: Boost alone read 1.8446744073707797E55 back as a neighbouring double.
  for (std::string_view text :
       {"18446744073707795577777777777777777777777777777777771615", "1.8446744073707797E55",
        "2.2250738585072011e-308", "123456789012345678901234567890", "-1e-310"}) {
    SCOPED_TRACE(text);
    auto first = parse_json_body(text);
    ASSERT_TRUE(first);
    auto second = parse_json_body(boost::json::serialize(*first));
    ASSERT_TRUE(second);
    EXPECT_EQ(first->as_double(), second->as_double());
  }
}

TEST(JsonBody, ReadsUnderflowAsSignedZero) {
  auto parsed = parse_json_body("[1e-400,-1e-400,2.4703282292062327e-324]");
  ASSERT_TRUE(parsed);
  const auto& a = parsed->as_array();
  EXPECT_EQ(a[0].as_double(), 0.0);
  EXPECT_FALSE(std::signbit(a[0].as_double()));
  EXPECT_TRUE(std::signbit(a[1].as_double()));
  EXPECT_EQ(a[2].as_double(), 0.0);
}

TEST(JsonBody, ReadsZeroWithAHugeExponentAsZero) {
  // Boost 1.81 alone computes these as 0 × infinity = NaN.
  auto parsed = parse_json_body("[0e400,-0e999999,0.000E+400]");
  ASSERT_TRUE(parsed);
  for (const auto& zero : parsed->as_array()) {
    ASSERT_TRUE(zero.is_double());
    EXPECT_EQ(zero.as_double(), 0.0);
  }
  EXPECT_TRUE(std::signbit(parsed->as_array()[1].as_double()));
}

TEST(JsonBody, RejectsNumbersBeyondTheDoubleRange) {
  // They would parse as infinity, which no JSON text can carry back out.
  expect_bad_request("1e400");
  expect_bad_request(R"({"n":-1e400})");
  expect_bad_request("1e99999999999999999999");
  expect_bad_request("[" + std::string(400, '9') + "]");
  EXPECT_EQ(parse_json_body("1e400").error().message, "request body holds a number out of range");
}

TEST(JsonBody, ParsesLongNumbersInLinearTime) {
  // A megabyte of digits must neither hang nor overflow.
  EXPECT_TRUE(parse_json_body("0." + std::string(1 << 20, '1')));
  EXPECT_TRUE(parse_json_body("1e-" + std::string(1 << 20, '0') + "1"));
  expect_bad_request("1" + std::string(1 << 20, '0'));
}

TEST(JsonBody, ParsesAOneMegabyteString) {
  const std::string text(1 << 20, 'x');
  auto parsed = parse_json_body(R"({"s":")" + text + R"("})");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->as_object().at("s").as_string().size(), text.size());
}

TEST(JsonBody, ParsesAOneMegabyteMemberName) {
  const std::string name(1 << 20, 'k');
  auto parsed = parse_json_body("{\"" + name + "\":1}");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->as_object().contains(name));
  expect_duplicate("{\"" + name + "\":1,\"" + name + "\":2}", name);
}

TEST(JsonBody, ParsesAOneMegabyteStringOfMultibyteCharacters) {
  std::string text;
  while (text.size() < (1 << 20)) text += "\xE2\x82\xAC";
  EXPECT_TRUE(parse_json_body("\"" + text + "\""));
  expect_bad_request("\"" + text + "\xE2\x82\"");
}

}  // namespace
}  // namespace ferr::api
