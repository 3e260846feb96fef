#include "core/hex.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace ferr::core {
namespace {

TEST(ToHex, EncodesLowercaseTwoDigitsPerByte) {
  std::vector<std::uint8_t> bytes{0x00, 0x0f, 0x10, 0xab, 0xff};
  EXPECT_EQ(to_hex(bytes), "000f10abff");
}

TEST(ToHex, EmptyInputGivesEmptyString) { EXPECT_EQ(to_hex({}), ""); }

TEST(FromHex, DecodesEitherCase) {
  auto lower = from_hex("000f10abff");
  ASSERT_TRUE(lower.has_value());
  EXPECT_EQ(*lower, (std::vector<std::uint8_t>{0x00, 0x0f, 0x10, 0xab, 0xff}));
  auto upper = from_hex("ABFF");
  ASSERT_TRUE(upper.has_value());
  EXPECT_EQ(*upper, (std::vector<std::uint8_t>{0xab, 0xff}));
}

TEST(FromHex, EmptyInputGivesEmptyBytes) {
  auto empty = from_hex("");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
}

TEST(FromHex, RejectsOddLength) {
  EXPECT_FALSE(from_hex("a").has_value());
  EXPECT_FALSE(from_hex("abc").has_value());
}

TEST(FromHex, RejectsNonHexCharacters) {
  for (const char* text : {"0g", "g0", "zz", " 0", "0 ", "0x", "-1", "+1", "ab:c"}) {
    EXPECT_FALSE(from_hex(text).has_value()) << text;
  }
}

TEST(Hex, RoundTripsEveryByteValue) {
  std::vector<std::uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
  std::string text = to_hex(all);
  ASSERT_EQ(text.size(), 512u);
  auto back = from_hex(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, all);
}

}  // namespace
}  // namespace ferr::core
