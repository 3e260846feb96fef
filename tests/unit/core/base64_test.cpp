// The one base64 encoder against RFC 4648's test vectors (§10), in both alphabets.

#include "core/base64.hpp"

#include <gtest/gtest.h>

namespace ferr::core {
namespace {

TEST(Base64, StandardAlphabetWithPaddingMatchesRfc4648) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("\xff\xfe\xfd"), "//79");
}

TEST(Base64, UrlAlphabetWithoutPadding) {
  EXPECT_EQ(base64_encode("", Base64::url), "");
  EXPECT_EQ(base64_encode("f", Base64::url), "Zg");
  EXPECT_EQ(base64_encode("fo", Base64::url), "Zm8");
  EXPECT_EQ(base64_encode("foobar", Base64::url), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("\xff\xfe\xfd", Base64::url), "__79");
  EXPECT_EQ(base64_encode("\xfb\xff", Base64::url), "-_8");
}

TEST(Base64, BytesAndTextEncodeAlike) {
  const std::uint8_t bytes[] = {0x00, 0x10, 0x83, 0x10, 0x51, 0x87};
  EXPECT_EQ(base64_encode(std::span(bytes)), "ABCDEFGH");
}

}  // namespace
}  // namespace ferr::core
