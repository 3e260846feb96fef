#include "storage/postgres/param.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace ferr::storage::postgres {
namespace {

TEST(PostgresParam, ConvertsEachKindToText) {
  EXPECT_EQ(to_text(Param("plain")), "plain");
  EXPECT_EQ(to_text(Param(std::string_view("view"))), "view");
  EXPECT_EQ(to_text(Param(-42)), "-42");
  EXPECT_EQ(to_text(Param(std::numeric_limits<std::int64_t>::min())), "-9223372036854775808");
  EXPECT_EQ(to_text(Param(true)), "true");
  EXPECT_EQ(to_text(Param(false)), "false");
  EXPECT_EQ(to_text(Param(0.1)), "0.1");
  EXPECT_EQ(to_text(Param(std::numeric_limits<double>::infinity())), "Infinity");
  EXPECT_EQ(to_text(Param(-std::numeric_limits<double>::infinity())), "-Infinity");
  EXPECT_EQ(to_text(Param(std::nan(""))), "NaN");
}

TEST(PostgresParam, NullsAndOptionals) {
  EXPECT_TRUE(Param().is_null());
  EXPECT_TRUE(Param(nullptr).is_null());
  EXPECT_TRUE(Param(std::nullopt).is_null());
  EXPECT_TRUE(Param(std::optional<std::string>{}).is_null());
  EXPECT_FALSE(Param(std::optional<std::int64_t>{7}).is_null());
  EXPECT_EQ(to_text(Param(std::optional<std::int64_t>{7})), "7");
}

TEST(PostgresParam, BoundParamsPointAtTheirTextsAndNullForNull) {
  std::vector<Param> params{"a", nullptr, 3};
  auto bound = BoundParams::bind(params);
  ASSERT_TRUE(bound);
  BoundParams moved = std::move(*bound);  // pointers survive a move
  ASSERT_EQ(moved.count(), 3);
  EXPECT_STREQ(moved.values()[0], "a");
  EXPECT_EQ(moved.values()[1], nullptr);
  EXPECT_STREQ(moved.values()[2], "3");
}

TEST(PostgresParam, ANulByteIsRefused) {
  auto bound = BoundParams::bind({Param(std::string("a\0b", 3))});
  ASSERT_FALSE(bound);
  EXPECT_NE(bound.error().log_detail.find("$1"), std::string::npos);
}

TEST(PostgresParam, NoParametersMeansNoArray) {
  auto bound = BoundParams::bind({});
  ASSERT_TRUE(bound);
  EXPECT_EQ(bound->count(), 0);
  EXPECT_EQ(bound->values(), nullptr);
}

}  // namespace
}  // namespace ferr::storage::postgres
