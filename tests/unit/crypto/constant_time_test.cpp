#include "crypto/constant_time.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ferr::crypto {
namespace {

TEST(ConstantTime, EqualStringsCompareEqual) {
  EXPECT_TRUE(constant_time_equals("", ""));
  EXPECT_TRUE(constant_time_equals("metrics-token", "metrics-token"));
  std::string long_a(10000, 'x'), long_b(10000, 'x');
  EXPECT_TRUE(constant_time_equals(long_a, long_b));
}

TEST(ConstantTime, AnyDifferenceCompareUnequal) {
  EXPECT_FALSE(constant_time_equals("metrics-token", "metrics-tokem"));
  EXPECT_FALSE(constant_time_equals("metrics-token", "Metrics-token"));
  EXPECT_FALSE(constant_time_equals("metrics-token", "metrics-toke"));  // prefix
  EXPECT_FALSE(constant_time_equals("metrics-token", "metrics-token "));
  EXPECT_FALSE(constant_time_equals("", "x"));
  EXPECT_FALSE(constant_time_equals(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
  EXPECT_FALSE(constant_time_equals(std::string_view("a\0", 2), "a"));
}

}  // namespace
}  // namespace ferr::crypto
