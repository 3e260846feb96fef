#include "api/object_reader.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/parse.hpp>

#include "api/json_body.hpp"

namespace ferr::api {
namespace {

using core::ErrorCode;

constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

boost::json::value body(std::string_view text) {
  auto parsed = parse_json_body(text);
  EXPECT_TRUE(parsed) << text;
  return parsed ? *parsed : boost::json::value();
}

ObjectReader reader_of(const boost::json::value& v) {
  auto reader = ObjectReader::of(v);
  EXPECT_TRUE(reader);
  return *reader;
}

// A failed read: VALIDATION_FAILED naming `field`, with the given sentence.
template <typename T>
void expect_invalid(const core::Result<T>& result, std::string_view field,
                    std::string_view message) {
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::validation_failed);
  ASSERT_TRUE(result.error().field.has_value());
  EXPECT_EQ(*result.error().field, field);
  EXPECT_EQ(result.error().message, message);
}

// A reader of a temporary value would dangle as soon as the statement ends.
template <typename V>
constexpr bool kReadsTemporaries = requires(V&& v) {
  ObjectReader::of(std::move(v));
};
static_assert(!kReadsTemporaries<boost::json::value>);
static_assert(requires(const boost::json::value& v) { ObjectReader::of(v); });

TEST(ObjectReader, RefusesEverythingButAnObject) {
  for (std::string_view text : {"[]", "[{}]", "\"s\"", "1", "2.5", "true", "null"}) {
    SCOPED_TRACE(text);
    const auto v = body(text);
    expect_invalid(ObjectReader::of(v), "body", "request body must be an object");
  }
  const auto empty = body("{}");
  EXPECT_TRUE(ObjectReader::of(empty));
}

TEST(ObjectReader, ReadsARequiredString) {
  const auto v = body(R"({"email":"a@b.c","empty":""})");
  auto r = reader_of(v);
  EXPECT_EQ(r.required_string("email").value(), "a@b.c");
  EXPECT_EQ(r.required_string("empty").value(), "");
  EXPECT_TRUE(r.finish());
}

TEST(ObjectReader, KeepsEmbeddedNulBytes) {
  const auto v = body(R"({"s":"a\u0000b"})");
  auto r = reader_of(v);
  EXPECT_EQ(r.required_string("s").value(), std::string("a\0b", 3));
}

TEST(ObjectReader, RefusesAMissingNullOrNonStringRequiredString) {
  const auto v = body(R"({"n":null,"i":1,"d":1.5,"b":true,"a":["x"],"o":{"x":"y"}})");
  auto r = reader_of(v);
  expect_invalid(r.required_string("email"), "email", "email is required");
  expect_invalid(r.required_string("n"), "n", "n must be a string");
  for (std::string_view name : {"i", "d", "b", "a", "o"}) {
    SCOPED_TRACE(name);
    expect_invalid(r.required_string(name), name, std::string(name) + " must be a string");
  }
}

TEST(ObjectReader, ReadsAnOptionalString) {
  const auto v = body(R"({"timezone":"Europe/Paris"})");
  auto r = reader_of(v);
  EXPECT_EQ(r.optional_string("timezone").value(), "Europe/Paris");
  EXPECT_EQ(r.optional_string("locale").value(), std::nullopt);
  EXPECT_TRUE(r.finish());
}

TEST(ObjectReader, RefusesNullAndOtherTypesForAnOptionalString) {
  const auto v = body(R"({"locale":null,"n":3,"b":false})");
  auto r = reader_of(v);
  expect_invalid(r.optional_string("locale"), "locale", "locale must be a string");
  expect_invalid(r.optional_string("n"), "n", "n must be a string");
  expect_invalid(r.optional_string("b"), "b", "b must be a string");
}

TEST(ObjectReader, TellsTheThreeStatesOfANullableString) {
  const auto v = body(R"({"display_name":null,"bio":"hi"})");
  auto r = reader_of(v);
  auto absent = r.nullable_string("nickname");
  ASSERT_TRUE(absent);
  EXPECT_EQ(absent->state, Nullable<std::string>::State::absent);
  EXPECT_TRUE(absent->is_absent());
  auto null = r.nullable_string("display_name");
  ASSERT_TRUE(null);
  EXPECT_EQ(null->state, Nullable<std::string>::State::null);
  EXPECT_TRUE(null->is_null());
  auto set = r.nullable_string("bio");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->state, Nullable<std::string>::State::value);
  EXPECT_TRUE(set->has_value());
  EXPECT_EQ(set->value, "hi");
  EXPECT_TRUE(r.finish());
}

TEST(ObjectReader, RefusesNonStringsForANullableString) {
  const auto v = body(R"({"a":1,"b":[],"c":{},"d":true})");
  auto r = reader_of(v);
  for (std::string_view name : {"a", "b", "c", "d"}) {
    SCOPED_TRACE(name);
    expect_invalid(r.nullable_string(name), name, std::string(name) + " must be a string or null");
  }
}

TEST(ObjectReader, ReadsARequiredBool) {
  const auto v = body(R"({"yes":true,"no":false})");
  auto r = reader_of(v);
  EXPECT_EQ(r.required_bool("yes").value(), true);
  EXPECT_EQ(r.required_bool("no").value(), false);
  EXPECT_TRUE(r.finish());
}

TEST(ObjectReader, RefusesAMissingNullOrNonBoolRequiredBool) {
  const auto v = body(R"({"n":null,"i":1,"z":0,"s":"true","a":[true]})");
  auto r = reader_of(v);
  expect_invalid(r.required_bool("flag"), "flag", "flag is required");
  for (std::string_view name : {"n", "i", "z", "s", "a"}) {
    SCOPED_TRACE(name);
    expect_invalid(r.required_bool(name), name, std::string(name) + " must be true or false");
  }
}

TEST(ObjectReader, ReadsAnOptionalIntWithinItsRange) {
  const auto v = body(R"({"limit":50,"low":1,"high":100,"neg":-5})");
  auto r = reader_of(v);
  EXPECT_EQ(r.optional_int("limit", 1, 100).value(), 50);
  EXPECT_EQ(r.optional_int("low", 1, 100).value(), 1);
  EXPECT_EQ(r.optional_int("high", 1, 100).value(), 100);
  EXPECT_EQ(r.optional_int("neg", -10, 10).value(), -5);
  EXPECT_EQ(r.optional_int("offset", 0, 10).value(), std::nullopt);
  EXPECT_TRUE(r.finish());
}

TEST(ObjectReader, RefusesAnOptionalIntOutsideItsRange) {
  const auto v = body(R"({"below":0,"above":101,"neg":-1})");
  auto r = reader_of(v);
  expect_invalid(r.optional_int("below", 1, 100), "below",
                 "below must be an integer from 1 to 100");
  expect_invalid(r.optional_int("above", 1, 100), "above",
                 "above must be an integer from 1 to 100");
  expect_invalid(r.optional_int("neg", 0, 10), "neg", "neg must be an integer from 0 to 10");
}

TEST(ObjectReader, ReadsTheInt64Extremes) {
  const auto v = body(R"({"min":-9223372036854775808,"max":9223372036854775807})");
  auto r = reader_of(v);
  EXPECT_EQ(r.optional_int("min", kInt64Min, kInt64Max).value(), kInt64Min);
  EXPECT_EQ(r.optional_int("max", kInt64Min, kInt64Max).value(), kInt64Max);
}

TEST(ObjectReader, RefusesIntegersBeyondInt64) {
  // uint64 above INT64_MAX, then integers so large the parser made them doubles.
  const auto v =
      body(R"({"u":18446744073709551615,"big":18446744073709551616,"neg":-9223372036854775809,)"
           R"("huge":100000000000000000000000000000})");
  auto r = reader_of(v);
  for (std::string_view name : {"u", "big", "neg", "huge"}) {
    SCOPED_TRACE(name);
    expect_invalid(
        r.optional_int(name, kInt64Min, kInt64Max), name,
        std::string(name) + " must be an integer from -9223372036854775808 to 9223372036854775807");
  }
}

TEST(ObjectReader, RefusesNonIntegersForAnOptionalInt) {
  const auto v =
      body(R"({"two":2.0,"exp":1e2,"frac":1.5,"negzero":-0.0,"s":"3","b":true,"n":null,"a":[1],)"
           R"("o":{}})");
  auto r = reader_of(v);
  for (std::string_view name : {"two", "exp", "frac", "negzero", "s", "b", "n", "a", "o"}) {
    SCOPED_TRACE(name);
    expect_invalid(r.optional_int(name, -1000, 1000), name,
                   std::string(name) + " must be an integer from -1000 to 1000");
  }
}

TEST(ObjectReader, AcceptsSmallUint64ValuesBuiltInCode) {
  // The parser never makes these, but a value built in code (a test, a default) may.
  boost::json::value v = boost::json::object{{"n", std::uint64_t{7}}};
  auto r = reader_of(v);
  EXPECT_EQ(r.optional_int("n", 0, 10).value(), 7);
}

TEST(ObjectReader, GivesRawAccessToNestedValues) {
  const auto v = body(R"({"props":{"a":[1,2]},"tags":["x"],"nothing":null})");
  auto r = reader_of(v);
  auto props = r.optional_value("props");
  ASSERT_TRUE(props);
  ASSERT_TRUE(props->has_value());
  EXPECT_TRUE((**props)->is_object());
  auto tags = r.optional_value("tags");
  ASSERT_TRUE(tags && tags->has_value());
  EXPECT_EQ((**tags)->as_array().size(), 1U);
  auto nothing = r.optional_value("nothing");
  ASSERT_TRUE(nothing && nothing->has_value());
  EXPECT_TRUE((**nothing)->is_null());
  auto absent = r.optional_value("absent");
  ASSERT_TRUE(absent);
  EXPECT_FALSE(absent->has_value());
  EXPECT_TRUE(r.finish());
}

TEST(ObjectReader, ReadsNestedObjectsWithReadersOfTheirOwn) {
  const auto v = body(R"({"org":{"slug":"acme","extra":1}})");
  auto outer = reader_of(v);
  auto org = outer.optional_value("org");
  ASSERT_TRUE(org && org->has_value());
  auto inner = reader_of(***org);
  EXPECT_EQ(inner.required_string("slug").value(), "acme");
  expect_invalid(inner.finish(), "extra", "unknown member");
  EXPECT_TRUE(outer.finish());
}

TEST(ObjectReader, RejectsUnknownMembers) {
  const auto v = body(R"({"email":"a@b.c","admin":true})");
  auto r = reader_of(v);
  ASSERT_TRUE(r.required_string("email"));
  expect_invalid(r.finish(), "admin", "unknown member");
}

TEST(ObjectReader, NamesTheFirstUnknownMemberInBodyOrder) {
  const auto v = body(R"({"z":1,"email":"a@b.c","y":2,"x":3})");
  auto r = reader_of(v);
  ASSERT_TRUE(r.required_string("email"));
  expect_invalid(r.finish(), "z", "unknown member");
}

TEST(ObjectReader, RejectsEveryMemberWhenNothingWasRead) {
  const auto v = body(R"({"a":1})");
  const auto r = reader_of(v);
  expect_invalid(r.finish(), "a", "unknown member");
  EXPECT_TRUE(reader_of(body("{}")).finish());
}

TEST(ObjectReader, CountsAFailedReadAsKnown) {
  // The error of the read itself is the one the client should see, not "unknown member".
  const auto v = body(R"({"n":"x"})");
  auto r = reader_of(v);
  EXPECT_FALSE(r.optional_int("n", 0, 1));
  EXPECT_TRUE(r.finish());
}

TEST(ObjectReader, CountsAMemberReadTwiceOnce) {
  const auto v = body(R"({"a":"x"})");
  auto r = reader_of(v);
  EXPECT_TRUE(r.required_string("a"));
  EXPECT_TRUE(r.optional_string("a"));
  EXPECT_TRUE(r.finish());
}

TEST(ObjectReader, MatchesNamesExactly) {
  const auto v = body(R"({"Email":"a@b.c"})");
  auto r = reader_of(v);
  expect_invalid(r.required_string("email"), "email", "email is required");
  expect_invalid(r.finish(), "Email", "unknown member");
}

TEST(ObjectReader, ReadsAOneMegabyteString) {
  const std::string text(1 << 20, 'x');
  const auto v = body(R"({"s":")" + text + R"("})");
  auto r = reader_of(v);
  EXPECT_EQ(r.required_string("s").value(), text);
}

}  // namespace
}  // namespace ferr::api
