#include "crypto/password_policy.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>

namespace ferr::crypto {
namespace {

constexpr std::string_view kEmail = "alice@example.com";
constexpr std::string_view kTooShort = "password must be at least 8 characters";
constexpr std::string_view kTooLong = "password must be at most 128 characters";
constexpr std::string_view kNotUtf8 = "password must be valid UTF-8";
constexpr std::string_view kIsEmail = "password must not be the e-mail address";
constexpr std::string_view kCommon = "password is too common";

/// `count` repetitions of `unit` (one code point each time when `unit` is one character).
std::string repeat(std::string_view unit, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += unit;
  return out;
}

/// A string of `n` ASCII characters that is in no word list.
std::string ascii_of_length(std::size_t n) { return repeat("Zq9!", n / 4 + 1).substr(0, n); }

TEST(PasswordPolicy, CompiledListHasAtLeastTenThousandEntries) {
  EXPECT_GE(common_password_count(), 10000u);
  EXPECT_EQ(common_passwords().size(), common_password_count());
}

TEST(PasswordPolicy, CompiledListIsSortedUniqueLowerCaseAndLongEnoughToMatter) {
  auto list = common_passwords();
  EXPECT_TRUE(std::is_sorted(list.begin(), list.end()));
  EXPECT_EQ(std::adjacent_find(list.begin(), list.end()), list.end());
  for (std::string_view entry : list) {
    ASSERT_GE(entry.size(), 8u) << entry;
    ASSERT_EQ(
        std::count_if(entry.begin(), entry.end(), [](char c) { return c >= 'A' && c <= 'Z'; }), 0)
        << entry;
  }
}

TEST(PasswordPolicy, CommonPasswordsAreRejectedInAnyCase) {
  // From john-data's password.lst (real passwords) and cracklib's dictionary.
  for (std::string_view known :
       {"password1", "PASSWORD1", "PassWord1", "iloveyou", "ILoveYou", "trustno1", "sunshine",
        "qwertyuiop", "accelerometer", "Accelerometer", "asdfjkl;"})
    EXPECT_EQ(password_weakness(known, kEmail), kCommon) << known;
}

TEST(PasswordPolicy, StrongPassphraseIsAccepted) {
  EXPECT_EQ(password_weakness("Tangerine!Orbit7Quill", kEmail), std::nullopt);
  EXPECT_EQ(password_weakness("vq3-Lz8r-Wm2k-Pd7x", kEmail), std::nullopt);
  EXPECT_EQ(password_weakness("correct horse battery staple 2024", kEmail), std::nullopt);
}

TEST(PasswordPolicy, AsciiLengthBoundaries) {
  EXPECT_EQ(password_weakness("", kEmail), kTooShort);
  EXPECT_EQ(password_weakness(ascii_of_length(7), kEmail), kTooShort);
  EXPECT_EQ(password_weakness(ascii_of_length(8), kEmail), std::nullopt);
  EXPECT_EQ(password_weakness(ascii_of_length(128), kEmail), std::nullopt);
  EXPECT_EQ(password_weakness(ascii_of_length(129), kEmail), kTooLong);
  EXPECT_EQ(password_weakness(ascii_of_length(100000), kEmail), kTooLong);
}

TEST(PasswordPolicy, MultibyteCharactersCountOnce) {
  // 2-, 3- and 4-byte characters: 7 of them are too short however many bytes they take.
  for (std::string_view ch : {"é", "語", "😀"}) {
    EXPECT_EQ(password_weakness(repeat(ch, 7), kEmail), kTooShort) << ch;
    EXPECT_EQ(password_weakness(repeat(ch, 8), kEmail), std::nullopt) << ch;
    EXPECT_EQ(password_weakness(repeat(ch, 128), kEmail), std::nullopt) << ch;
    EXPECT_EQ(password_weakness(repeat(ch, 129), kEmail), kTooLong) << ch;
  }
  EXPECT_EQ(password_weakness("mot-é語😀", kEmail), kTooShort);  // 7 code points, 13 bytes
  EXPECT_EQ(password_weakness("mot-é語😀!", kEmail), std::nullopt);
}

TEST(PasswordPolicy, InvalidUtf8IsRejected) {
  const std::string bad[] = {
      "abcdefgh\xff",              // never valid in UTF-8
      "abcdefgh\x80",              // continuation without a lead
      "abcdefgh\xc3",              // truncated 2-byte sequence
      "abcdefgh\xe6\x97",          // truncated 3-byte sequence
      "abcdefgh\xc0\xaf",          // overlong '/'
      "abcdefgh\xe0\x80\xaf",      // overlong '/' in three bytes
      "abcdefgh\xed\xa0\x80",      // UTF-16 surrogate
      "abcdefgh\xf4\x90\x80\x80",  // above U+10FFFF
      "abcdefgh\xc3(",             // lead followed by a non-continuation
  };
  for (const auto& password : bad) EXPECT_EQ(password_weakness(password, kEmail), kNotUtf8);
  // Short and invalid: the encoding is reported first.
  EXPECT_EQ(password_weakness("\xff", kEmail), kNotUtf8);
  // The largest code point and the ones around the surrogates are fine.
  EXPECT_EQ(password_weakness("abcdefgh\xf4\x8f\xbf\xbf\xed\x9f\xbf\xee\x80\x80", kEmail),
            std::nullopt);
}

TEST(PasswordPolicy, TheEmailAddressIsRejected) {
  EXPECT_EQ(password_weakness("alice@example.com", kEmail), kIsEmail);
  EXPECT_EQ(password_weakness("Alice@Example.COM", kEmail), kIsEmail);
  EXPECT_EQ(password_weakness("alice@example.com", "  Alice@Example.com \t"), kIsEmail);
  EXPECT_EQ(password_weakness(" alice@example.com ", kEmail), kIsEmail);
  // Containing the address is not being it.
  EXPECT_EQ(password_weakness("alice@example.com!x7", kEmail), std::nullopt);
  EXPECT_EQ(password_weakness("bob@example.com", kEmail), std::nullopt);
  // No e-mail at all compares with nothing.
  EXPECT_EQ(password_weakness(ascii_of_length(8), ""), std::nullopt);
  EXPECT_EQ(password_weakness("        ", "   "), std::nullopt);
}

TEST(PasswordPolicy, ReasonsNeverRepeatThePassword) {
  for (std::string_view password : {"Secr3t!", "iloveyou", "alice@example.com"}) {
    auto reason = password_weakness(password, kEmail);
    ASSERT_TRUE(reason) << password;
    EXPECT_EQ(reason->find(password), std::string::npos) << *reason;
  }
}

}  // namespace
}  // namespace ferr::crypto
