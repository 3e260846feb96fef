#include "domain/accounts/validation.hpp"

#include <gtest/gtest.h>

namespace ferr::domain::accounts {
namespace {

TEST(NormalizeEmail, TrimsAndLowerCases) {
  EXPECT_EQ(normalize_email("  Ada.Lovelace@Example.COM\t"), "ada.lovelace@example.com");
}

TEST(NormalizeEmail, RejectsImplausibleAddresses) {
  for (const char* bad :
       {"", "   ", "plain", "@example.com", "ada@", "ada@example", "ada@.com", "ada@example.",
        "ada@exa..mple.com", "a b@example.com", "ada@@example.com", "ada@ex@ample.com",
        "ada\n@example.com", "<script>@example.com"}) {
    EXPECT_FALSE(normalize_email(bad)) << bad;
  }
}

TEST(NormalizeEmail, LengthLimits) {
  std::string domain = "@example.com";
  EXPECT_TRUE(normalize_email(std::string(64, 'a') + domain));
  EXPECT_FALSE(normalize_email(std::string(65, 'a') + domain)) << "local part over 64";
  // Labels of at most 63 characters each (core::is_valid_email).
  std::string long_domain = "@" + std::string(63, 'd') + "." + std::string(63, 'd') + "." +
                            std::string(63, 'd') + "." + std::string(48, 'd') + ".com";
  EXPECT_EQ(std::string(10, 'a').size() + long_domain.size(), 255u);
  EXPECT_FALSE(normalize_email(std::string(10, 'a') + long_domain)) << "over 254 in all";
  EXPECT_TRUE(normalize_email(std::string(9, 'a') + long_domain));
}

TEST(DisplayName, OneToHundredPrintableCharacters) {
  EXPECT_TRUE(is_valid_display_name("A"));
  EXPECT_TRUE(is_valid_display_name(std::string(100, 'x')));
  EXPECT_FALSE(is_valid_display_name(""));
  EXPECT_FALSE(is_valid_display_name(std::string(101, 'x')));
  std::string hundred_accents;
  for (int i = 0; i < 100; ++i) hundred_accents += "\xc3\xa9";  // é counts once
  EXPECT_TRUE(is_valid_display_name(hundred_accents));
  EXPECT_FALSE(is_valid_display_name("tab\there"));
  EXPECT_FALSE(is_valid_display_name("\xc3"));      // truncated sequence
  EXPECT_FALSE(is_valid_display_name("\xc0\xaf"));  // overlong
}

TEST(Locale, TwoLettersWithOptionalRegion) {
  for (const char* ok : {"en", "fr", "en-US", "pt-BR"}) EXPECT_TRUE(is_valid_locale(ok)) << ok;
  for (const char* bad : {"", "e", "EN", "en_US", "en-us", "eng", "en-USA", "en-"})
    EXPECT_FALSE(is_valid_locale(bad)) << bad;
}

TEST(Timezone, KnowsIanaNamesAndLinks) {
  for (const char* ok :
       {"UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Asia/Kolkata"})
    EXPECT_TRUE(is_valid_timezone(ok)) << ok;
  for (const char* bad : {"", "utc", "Europe/Atlantis", "Paris", "../etc/passwd", "Europe/Paris "})
    EXPECT_FALSE(is_valid_timezone(bad)) << bad;
}

TEST(AvatarUrl, AbsoluteHttpOrHttpsWithAHostUpTo2048Characters) {
  for (const char* ok :
       {"https://cdn.example.com/a.png", "http://example.com", "https://example.com:8443/x?y=1#z",
        "https://u@example.com/p", "https://[2001:db8::1]/a.png", "https://example.com/%C3%A9.png"})
    EXPECT_TRUE(is_valid_avatar_url(ok)) << ok;
  const std::string longest = "https://example.com/" + std::string(2048 - 20, 'a');
  EXPECT_TRUE(is_valid_avatar_url(longest));
  EXPECT_FALSE(is_valid_avatar_url(longest + "a")) << "2 049 characters";
  for (const char* bad :
       {"", "example.com/a.png", "ftp://example.com/a", "javascript:alert(1)", "//example.com/a",
        "https://", "https:///a.png", "https://:443/a", "https://u@/a", "HTTPS://example.com",
        "https://exa mple.com", "https://example.com/\xc3\xa9", "https://example.com/\n",
        "data:image/png;base64,AAAA"})
    EXPECT_FALSE(is_valid_avatar_url(bad)) << bad;
}

TEST(SessionUserAgent, PrintableAsciiCutTo256) {
  EXPECT_FALSE(session_user_agent(std::nullopt));
  EXPECT_FALSE(session_user_agent(""));
  EXPECT_EQ(session_user_agent("curl/8.0"), "curl/8.0");
  EXPECT_EQ(session_user_agent("a\xc3\xa9"
                               "b\tc"),
            "a??b?c")
      << "stored text is always UTF-8";
  EXPECT_EQ(session_user_agent(std::string(300, 'x'))->size(), 256u);
}

}  // namespace
}  // namespace ferr::domain::accounts
