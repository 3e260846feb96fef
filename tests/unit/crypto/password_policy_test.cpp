#include "crypto/password_policy.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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
constexpr std::string_view kGuessable = "password is too easy to guess (under 10^8 guesses): ";
constexpr std::string_view kUserWords = "it contains your e-mail address or name";
const std::string kHasUserWords = std::string(kGuessable) + std::string(kUserWords);

/// `count` repetitions of `unit` (one code point each time when `unit` is one character).
std::string repeat(std::string_view unit, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += unit;
  return out;
}

// Random characters (a seeded generator's, pasted once): in no word list, and without a pattern
// zxcvbn would recognise, so only the rule a test is about can refuse them.
constexpr std::string_view kRandom =
    "n+FIGLj5M7YYpHCOTHU*tu?JvbipRdkJAWZ~4mo~Uxm!&yI5B!K%GnplJJpdu0o+l29v-X6N!631mG8YE5!i^s!I_"
    "4cZ2cS^V8HTM+yf@8GmXmeyNda%K*TGoeszaDG%HxFA";

/// A string of `n` ASCII characters that is in no word list and has no guessable pattern up to
/// 132 characters (longer ones repeat, and are only ever too long).
std::string ascii_of_length(std::size_t n) {
  return repeat(kRandom, n / kRandom.size() + 1).substr(0, n);
}

/// Eight distinct code points of each UTF-8 length (1 to 4 bytes), none next to another.
constexpr std::string_view kEightOf[] = {"n+FIGLj5", "éàçüößñø", "語日本中文字漢話", "😀🎉🚀🌍🔥💡🎵🍀"};

/// `n` code points: the eight of `eight` (all of one width), over and over.
std::string code_points_of(std::string_view eight, std::size_t n) {
  std::string out;
  std::size_t width = eight.size() / 8;
  for (std::size_t i = 0; i < n; ++i) out += eight.substr((i % 8) * width, width);
  return out;
}

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
  // 2-, 3- and 4-byte characters: 7 of them are too short however many bytes they take. (Beyond
  // 8 they repeat, which zxcvbn would refuse: 128 is only checked against the length rule.)
  for (std::string_view eight : {kEightOf[1], kEightOf[2], kEightOf[3]}) {
    EXPECT_EQ(password_weakness(code_points_of(eight, 7), kEmail), kTooShort) << eight;
    EXPECT_EQ(password_weakness(code_points_of(eight, 8), kEmail), std::nullopt) << eight;
    EXPECT_NE(password_weakness(code_points_of(eight, 128), kEmail), kTooLong) << eight;
    EXPECT_EQ(password_weakness(code_points_of(eight, 129), kEmail), kTooLong) << eight;
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
  EXPECT_EQ(password_weakness("n+FIGLj5\xf4\x8f\xbf\xbf\xed\x9f\xbf\xee\x80\x80", kEmail),
            std::nullopt);
}

TEST(PasswordPolicy, TheEmailAddressIsRejected) {
  EXPECT_EQ(password_weakness("alice@example.com", kEmail), kIsEmail);
  EXPECT_EQ(password_weakness("Alice@Example.COM", kEmail), kIsEmail);
  EXPECT_EQ(password_weakness("alice@example.com", "  Alice@Example.com \t"), kIsEmail);
  EXPECT_EQ(password_weakness(" alice@example.com ", kEmail), kIsEmail);
  // Containing the address is not being it, but zxcvbn knows the address (a user word).
  EXPECT_EQ(password_weakness("alice@example.com!x7", kEmail), kHasUserWords);
  EXPECT_EQ(password_weakness("bob@example.com", kEmail), kHasUserWords);
  EXPECT_EQ(password_weakness("alice@example.com" + ascii_of_length(12), kEmail), std::nullopt);
  // No e-mail at all compares with nothing.
  EXPECT_EQ(password_weakness(ascii_of_length(8), ""), std::nullopt);
  EXPECT_EQ(password_weakness("n+FI GLj5", "   "), std::nullopt);
}

// Issue 14 item 7: none of these is on the compiled-in list, and all three were accepted.
TEST(PasswordPolicy, GuessablePasswordsAreRefusedWithTheReason) {
  for (std::string_view guessable : {"password123", "Password1!", "qwerty123456"}) {
    auto reason = password_weakness(guessable, kEmail);
    ASSERT_TRUE(reason) << guessable;
    EXPECT_TRUE(reason->starts_with(kGuessable)) << *reason;
  }
  EXPECT_EQ(password_weakness("qwertyuiop[]", kEmail),
            std::string(kGuessable) + "it follows a keyboard pattern");
  EXPECT_EQ(password_weakness("abcdefghijklmnop", kEmail),
            std::string(kGuessable) + "it contains a sequence such as abc or 123");
  EXPECT_EQ(password_weakness("zzzzzzzzzzzzzzzzzzzzzzzz", kEmail),
            std::string(kGuessable) + "it repeats characters");
}

TEST(PasswordPolicy, TheThresholdIsTenToTheEighthGuesses) {
  EXPECT_NEAR(std::exp2(kMinGuessesLog2), 1e8, 1e-3);
}

// zxcvbn is told the e-mail address, its parts and the display name's words: a password built
// from them is refused, although it is strong for anyone else.
TEST(PasswordPolicy, TheOwnersNameAndAddressAreUserWords) {
  constexpr std::string_view kAda = "ada.king@lovelace.example";
  for (std::string_view password : {"Byron.Lovelace", "lovelace-king!", "analytical.engine.ada"})
    EXPECT_EQ(password_weakness(password, "someone@example.com"), std::nullopt) << password;
  EXPECT_EQ(password_weakness("Byron.Lovelace", "someone@example.com", "Ada Byron Lovelace"),
            kHasUserWords)
      << "the display name's words";
  EXPECT_EQ(password_weakness("lovelace-king!", kAda), kHasUserWords) << "the address's words";
  EXPECT_EQ(password_weakness("analytical.engine.ada", kAda, "Ada"), std::nullopt)
      << "a short word among strong ones does not make a password weak";
}

TEST(PasswordPolicy, ReasonsNeverRepeatThePassword) {
  for (std::string_view password :
       {"Secr3t!", "iloveyou", "alice@example.com", "password123", "alice@example.com!x7"}) {
    auto reason = password_weakness(password, kEmail);
    ASSERT_TRUE(reason) << password;
    EXPECT_EQ(reason->find(password), std::string::npos) << *reason;
  }
}

}  // namespace
}  // namespace ferr::crypto
