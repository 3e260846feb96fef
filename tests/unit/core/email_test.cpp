#include "core/email.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ferr::core {
namespace {

TEST(Email, AcceptsOrdinaryAddresses) {
  for (const char* good :
       {"ada@example.com", "ada.lovelace@example.co.uk", "ada+tag@sub.example.com",
        "o'brien@example.ie", "x@b.c", "a_b-c@ex-ample.com", "1234@123.example",
        "!#$%&'*+-/=?^_`{|}~@example.com", "Ada@Example.COM", "jos\xc3\xa9@example.com",
        "ada@b\xc3\xbc"
        "cher.example"}) {
    EXPECT_TRUE(is_valid_email(good)) << good;
  }
}

TEST(Email, RefusesWhatAMailerCannotCarry) {
  // The first one is the address of issue 14: accepted by registration, refused by the mailer.
  for (const char* bad :
       {"<script>@example.com", "ada@example.com>", "<ada@example.com>", "Ada <ada@example.com>",
        "\"ada\"@example.com", "ada(comment)@example.com", "a,b@example.com", "a;b@example.com",
        "a:b@example.com", "a\\b@example.com", "a[b]@example.com", "ada@[192.0.2.1]",
        "ada@example.com\r\nBcc: eve@evil.test", "ada\r\n@example.com", "ada@exa\nmple.com",
        "a b@example.com", "ada@exa mple.com", "ada\t@example.com", " ada@example.com"}) {
    EXPECT_FALSE(is_valid_email(bad)) << bad;
  }
  EXPECT_FALSE(is_valid_email(std::string("ada\0@example.com", 16)));
  EXPECT_FALSE(is_valid_email(std::string("ada@example.com\0", 16)));
  EXPECT_FALSE(is_valid_email("ada\x7f@example.com"));
}

TEST(Email, RefusesMalformedStructure) {
  for (const char* bad :
       {"", "plain", "@example.com", "ada@", "ada@example", "ada@localhost", "ada@.com",
        "ada@example.", "ada@exa..mple.com", "ada@@example.com", "ada@ex@ample.com",
        ".ada@example.com", "ada.@example.com", "a..da@example.com", "ada@-example.com",
        "ada@example-.com", "ada@exam_ple.com", "ada@example.com."}) {
    EXPECT_FALSE(is_valid_email(bad)) << bad;
  }
}

TEST(Email, RefusesBrokenOrInvisibleUtf8) {
  for (const char* bad :
       {"jos\xc3@example.com", "jos\xc0\xa9@example.com", "\xed\xa0\x80@example.com",
        "ada\xc2\x85@example.com",         // U+0085, a C1 control (NEL)
        "ada\xc2\xa0@example.com",         // U+00A0, no-break space
        "ada\xe2\x80\x8b@example.com",     // U+200B, zero-width space
        "ada\xe2\x80\xae@example.com",     // U+202E, right-to-left override
        "ada@exam\xef\xbb\xbfple.com",     // U+FEFF
        "ada@example.com\xe2\x80\xa8"}) {  // U+2028, line separator
    EXPECT_FALSE(is_valid_email(bad)) << bad;
  }
}

TEST(Email, LengthLimits) {
  const std::string domain = "@example.com";
  EXPECT_TRUE(is_valid_email(std::string(64, 'a') + domain));
  EXPECT_FALSE(is_valid_email(std::string(65, 'a') + domain)) << "local part over 64";
  EXPECT_TRUE(is_valid_email("ada@" + std::string(63, 'd') + ".com"));
  EXPECT_FALSE(is_valid_email("ada@" + std::string(64, 'd') + ".com")) << "label over 63";
  std::string long_domain = "@" + std::string(60, 'd') + "." + std::string(60, 'd') + "." +
                            std::string(60, 'd') + "." + std::string(57, 'd') + ".com";
  EXPECT_EQ(long_domain.size(), 245u);
  EXPECT_TRUE(is_valid_email(std::string(9, 'a') + long_domain));
  EXPECT_FALSE(is_valid_email(std::string(10, 'a') + long_domain)) << "over 254 in all";
  EXPECT_FALSE(is_valid_email(std::string(16'000, 'a') + domain));
}

TEST(Email, NormalizeTrimsLowerCasesAndValidates) {
  EXPECT_EQ(normalize_email("  Ada.Lovelace@Example.COM\t"), "ada.lovelace@example.com");
  EXPECT_EQ(normalize_email("JOS\xc3\x89@example.com"), "jos\xc3\x89@example.com")
      << "only ASCII letters are lower-cased";
  for (const char* bad : {"", "   ", "<script>@example.com", "ada@example.com\r\n",
                          "\r\nada@example.com", "ada @example.com"}) {
    EXPECT_FALSE(normalize_email(bad)) << bad;
  }
  EXPECT_FALSE(normalize_email(std::string("ada@example.com\0", 16)));
  EXPECT_FALSE(normalize_email(std::string(16'000, 'a') + "@example.com"));
  EXPECT_TRUE(normalize_email("  " + std::string(64, 'a') + "@example.com  ")) << "trim first";
}

}  // namespace
}  // namespace ferr::core
