#include "crypto/tokens.hpp"

#include <gtest/gtest.h>

#include <array>
#include <deque>
#include <set>
#include <vector>

#include "core/base64.hpp"

namespace ferr::crypto {
namespace {

bool is_base64url(std::string_view s) {
  return s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
         std::string_view::npos;
}

/// Hands out scripted 32-bit values (little-endian), to drive the rejection sampling.
class ScriptedRandom final : public core::Random {
 public:
  explicit ScriptedRandom(std::initializer_list<std::uint32_t> values) : values_(values) {}
  void fill(std::span<std::uint8_t> out) override {
    ASSERT_EQ(out.size(), 4u);
    ASSERT_FALSE(values_.empty());
    std::uint32_t v = values_.front();
    values_.pop_front();
    for (std::size_t i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
  }
  std::size_t left() const { return values_.size(); }

 private:
  std::deque<std::uint32_t> values_;
};

TEST(Tokens, RandomTokenIsUnpaddedBase64urlOfTheBytes) {
  core::SeededRandom random(42);
  std::string token = random_token(random);
  EXPECT_EQ(token.size(), 43u);
  EXPECT_TRUE(is_base64url(token)) << token;

  core::SeededRandom same(42);
  std::array<std::uint8_t, 32> bytes{};
  same.fill(bytes);
  EXPECT_EQ(token, core::base64_encode(bytes, core::Base64::url));
  EXPECT_EQ(base64url_decode(token), std::string(bytes.begin(), bytes.end()));
}

TEST(Tokens, RandomTokenSizes) {
  core::SeededRandom random(1);
  EXPECT_EQ(random_token(random, 16).size(), 22u);
  EXPECT_EQ(random_token(random, 1).size(), 2u);
  EXPECT_EQ(random_token(random, 0), "");
  EXPECT_EQ(random_token(random, 64).size(), 86u);
}

TEST(Tokens, RandomTokensDifferBySeedAndDraw) {
  core::SeededRandom a(1), b(1), c(2);
  std::string first = random_token(a);
  EXPECT_EQ(first, random_token(b));
  EXPECT_NE(first, random_token(c));
  EXPECT_NE(first, random_token(a));
}

TEST(Tokens, Base64urlDecodesKnownValues) {
  EXPECT_EQ(base64url_decode(""), "");
  EXPECT_EQ(base64url_decode("Zg"), "f");
  EXPECT_EQ(base64url_decode("Zm8"), "fo");
  EXPECT_EQ(base64url_decode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(base64url_decode("-_-_"), "\xfb\xff\xbf");
}

TEST(Tokens, Base64urlDecodingIsStrict) {
  for (std::string_view bad :
       {"Zg==", "Zm8=", "Z", "Zm9vY", "Zh", "Zm9", "+/+/", "Zm 9v", "Zm9v\n", "Zm9v."})
    EXPECT_EQ(base64url_decode(bad), std::nullopt) << bad;
  EXPECT_EQ(base64url_decode(std::string_view("Zm9v\0", 5)), std::nullopt);
}

TEST(Tokens, Sha256KnownVectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Tokens, HmacSha256Rfc4231) {
  // Test case 1: a 20-byte key.
  EXPECT_EQ(keyed_hash_hex(core::Secret(std::string(20, '\x0b')), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2: a key shorter than the block.
  EXPECT_EQ(keyed_hash_hex(core::Secret("Jefe"), "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a 131-byte key, longer than the block, hashed first.
  EXPECT_EQ(keyed_hash_hex(core::Secret(std::string(131, '\xaa')),
                           "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Tokens, KeyedHashDependsOnTheKey) {
  EXPECT_NE(keyed_hash_hex(core::Secret("key one"), "123456"),
            keyed_hash_hex(core::Secret("key two"), "123456"));
  EXPECT_NE(keyed_hash_hex(core::Secret("key one"), "123456"), sha256_hex("123456"));
  EXPECT_EQ(keyed_hash_hex(core::Secret("key one"), "123456").size(), 64u);
}

TEST(Tokens, SixDigitCodeFormat) {
  core::SeededRandom random(7);
  for (int i = 0; i < 1000; ++i) {
    std::string code = six_digit_code(random);
    ASSERT_EQ(code.size(), 6u) << code;
    ASSERT_EQ(code.find_first_not_of("0123456789"), std::string::npos) << code;
  }
  core::SeededRandom a(7), b(7);
  EXPECT_EQ(six_digit_code(a), six_digit_code(b));
}

TEST(Tokens, SixDigitCodeKeepsLeadingZerosAndRejectsTheBiasedTop) {
  // 4 294 000 000 is the first value of the incomplete last block of a million: redrawn.
  ScriptedRandom random({4'294'967'295u, 4'294'000'000u, 42u, 4'293'999'999u, 1'000'000u});
  EXPECT_EQ(six_digit_code(random), "000042");
  EXPECT_EQ(random.left(), 2u);
  EXPECT_EQ(six_digit_code(random), "999999");
  EXPECT_EQ(six_digit_code(random), "000000");
}

TEST(Tokens, SixDigitCodeIsRoughlyUniform) {
  core::SeededRandom random(2024);
  constexpr int kDraws = 50000;
  std::array<int, 10> first_digit{};
  std::set<std::string> distinct;
  for (int i = 0; i < kDraws; ++i) {
    std::string code = six_digit_code(random);
    ++first_digit[static_cast<std::size_t>(code[0] - '0')];
    distinct.insert(code);
  }
  for (int count : first_digit) {
    EXPECT_GT(count, kDraws / 10 * 9 / 10);  // within 10% of 5000; the deviation is about 1.3%
    EXPECT_LT(count, kDraws / 10 * 11 / 10);
  }
  // 50 000 draws from a million values repeat about 1 250 times.
  EXPECT_GT(distinct.size(), 48000u);
}

}  // namespace
}  // namespace ferr::crypto
