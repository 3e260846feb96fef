#include "mail/message_format.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "domain/accounts/validation.hpp"
#include "support/mail_samples.hpp"
#include "test_helpers.hpp"

namespace ferr::mail {
namespace {

using namespace std::chrono_literals;

const core::TimePoint kDate = std::chrono::sys_days(std::chrono::year(2026) / 5 / 5) + 21h;
using ::ferr::test::kFrom;

domain::MailMessage message(std::string to, std::string subject, std::string text) {
  return domain::MailMessage{std::move(to), std::move(subject), std::move(text)};
}

std::string format(const domain::MailMessage& m) {
  auto text = format_message(m, kFrom, {kDate, "1.abc@ferrlabs.com"});
  EXPECT_TRUE(text) << (text ? "" : text.error().message);
  return text ? *text : std::string();
}

using ::ferr::test::body_of;

TEST(SenderAddress, TakesTheAddressInsideAngleBrackets) {
  EXPECT_EQ(sender_address("FerrLabs <no-reply@ferrlabs.com>").value(), "no-reply@ferrlabs.com");
  EXPECT_EQ(sender_address("\"Ferr, Labs\" <ops@ferrlabs.com>").value(), "ops@ferrlabs.com");
  EXPECT_EQ(sender_address("<ops@ferrlabs.com>").value(), "ops@ferrlabs.com");
}

TEST(SenderAddress, AcceptsABareAddress) {
  EXPECT_EQ(sender_address("no-reply@ferrlabs.com").value(), "no-reply@ferrlabs.com");
}

TEST(SenderAddress, RejectsWhatHoldsNoUsableAddress) {
  for (const char* from : {"", "FerrLabs", "FerrLabs <>", "FerrLabs <no-reply>",
                           "FerrLabs <a@b.c> trailing", "FerrLabs <a@b.c", "two words@b.c",
                           "FerrLabs <a@b.c>\r\nBcc: victim@example.com", "a@b.c\n"}) {
    auto address = sender_address(from);
    ASSERT_FALSE(address) << from;
    EXPECT_EQ(address.error().code, core::ErrorCode::validation_failed) << from;
    EXPECT_EQ(address.error().field, "from") << from;
  }
}

TEST(CheckMessage, AcceptsAPlainRecipientAndOneLineSubject) {
  EXPECT_TRUE(check_message(message("ada@example.com", "Your code", "any\nbody\r\n")));
  EXPECT_TRUE(check_message(message("ada+tag@sub.example.com", "", "")));
}

TEST(CheckMessage, RejectsLineBreaksInRecipientOrSubjectWithoutQuotingThem) {
  struct Case {
    domain::MailMessage m;
    const char* field;
  };
  for (const auto& [m, field] :
       {Case{message("ada@example.com\r\nBcc: eve@evil.test", "s", "b"), "to"},
        Case{message("ada@example.com\nBcc: eve@evil.test", "s", "b"), "to"},
        Case{message("ada@example.com\r", "s", "b"), "to"},
        Case{message("ada@example.com", "Hi\r\nBcc: eve@evil.test", "b"), "subject"},
        Case{message("ada@example.com", "Hi\nX-Injected: 1", "b"), "subject"},
        Case{message("ada@example.com", "Hi\r", "b"), "subject"}}) {
    auto checked = check_message(m);
    ASSERT_FALSE(checked) << field;
    EXPECT_EQ(checked.error().code, core::ErrorCode::validation_failed);
    EXPECT_EQ(checked.error().field, field);
    EXPECT_EQ(checked.error().message.find("evil"), std::string::npos);
    EXPECT_FALSE(format_message(m, kFrom, {kDate, "1.abc@ferrlabs.com"})) << "never formatted";
  }
}

TEST(CheckMessage, RejectsRecipientsThatAreNotOnePlainAddress) {
  for (const char* to : {"", "ada", "ada@", "@example.com", "ada @example.com", "ada@exa mple.com",
                         "a@b@example.com", "<ada@example.com>", "Ada <ada@example.com>",
                         "ada@example.com\t", "<script>@example.com", "\"ada\"@example.com"}) {
    auto checked = check_message(message(to, "s", "b"));
    ASSERT_FALSE(checked) << to;
    EXPECT_EQ(checked.error().field, "to") << to;
  }
}

// Issue 14: registration accepted `<script>@example.com`, which the mailer then refused, leaving
// an account that could never be verified. Whatever registration stores, the mailer delivers to.
TEST(CheckMessage, AcceptsExactlyWhatRegistrationStores) {
  for (const std::string& raw : std::vector<std::string>{
           "ada@example.com", " Ada@Example.com ", "<script>@example.com", "ada>@example.com",
           "\"ada\"@example.com", "ada@[192.0.2.1]", "ada@localhost", "a..b@example.com",
           "jos\xc3\xa9@example.com", "ada\xc2\xa0@example.com", "ada@example.com\r\n",
           std::string(65, 'a') + "@example.com", "o'brien@example.ie", "ada(x)@example.com"}) {
    auto stored = domain::accounts::normalize_email(raw);
    auto checked = check_message(message(stored.value_or(raw), "s", "b"));
    EXPECT_EQ(stored.has_value(), checked.has_value()) << raw;
  }
}

TEST(AddressDomain, IsThePartAfterTheAt) {
  EXPECT_EQ(address_domain("ada@example.com"), "example.com");
  EXPECT_EQ(address_domain("no-at-sign"), "(none)");
}

TEST(Rfc5322Date, IsEnglishUtcWithTwoDigitDay) {
  EXPECT_EQ(format_rfc5322_date(kDate), "Tue, 05 May 2026 21:00:00 +0000");
  EXPECT_EQ(format_rfc5322_date(core::TimePoint{}), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(format_rfc5322_date(std::chrono::sys_days(std::chrono::year(2024) / 2 / 29) + 23h +
                                59min + 59s + 999ms),
            "Thu, 29 Feb 2024 23:59:59 +0000");
}

TEST(MessageId, IsUniqueAndOnTheSenderDomain) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string id = new_message_id("no-reply@ferrlabs.com");
    EXPECT_TRUE(id.ends_with("@ferrlabs.com")) << id;
    EXPECT_EQ(id.find_first_of("<> \r\n"), std::string::npos) << id;
    EXPECT_TRUE(seen.insert(id).second) << "duplicate " << id;
  }
}

TEST(FormatMessage, WritesTheHeadersThenTheBodyWithCrlf) {
  EXPECT_EQ(format(message("ada@example.com", "Verify your e-mail",
                           "Your code is 123456.\nIt expires in 15 minutes.\n")),
            "From: FerrLabs <no-reply@ferrlabs.com>\r\n"
            "To: ada@example.com\r\n"
            "Subject: Verify your e-mail\r\n"
            "Date: Tue, 05 May 2026 21:00:00 +0000\r\n"
            "Message-ID: <1.abc@ferrlabs.com>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n"
            "\r\n"
            "Your code is 123456.\r\n"
            "It expires in 15 minutes.\r\n");
}

TEST(FormatMessage, NormalisesEveryLineEndingToCrlf) {
  EXPECT_EQ(body_of(format(message("a@b.c", "s", "lf\ncrlf\r\ncr\rlast"))),
            "lf\r\ncrlf\r\ncr\r\nlast\r\n");
  EXPECT_EQ(body_of(format(message("a@b.c", "s", "\n\n"))), "\r\n\r\n");
}

TEST(FormatMessage, KeepsTheBodyAsGivenIncludingUtf8AndLeadingDots) {
  // Dot-stuffing belongs to the SMTP client (curl does it); the file transport must keep dots.
  EXPECT_EQ(body_of(format(message("a@b.c", "s", ".\n..two\nÉté ✓\n"))), ".\r\n..two\r\nÉté ✓\r\n");
}

TEST(FormatMessage, EmptyBodyLeavesOnlyTheHeaders) {
  std::string text = format(message("a@b.c", "s", ""));
  EXPECT_TRUE(text.ends_with("8bit\r\n\r\n")) << text;
}

TEST(FormatMessage, EncodesANonAsciiSubjectAsRfc2047Words) {
  std::string text = format(message("a@b.c", "Bienvenue à FerrLabs", "b"));
  const std::string prefix = "\r\nSubject: =?utf-8?B?";
  auto at = text.find(prefix);
  ASSERT_NE(at, std::string::npos) << text;
  auto start = at + prefix.size();
  auto end = text.find("?=", start);
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(test::decode_base64(text.substr(start, end - start)), "Bienvenue à FerrLabs");
}

TEST(FormatMessage, FoldsALongNonAsciiSubjectBetweenCharacters) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "é€";  // 2- and 3-byte sequences: 200 bytes
  std::string text = format(message("a@b.c", subject, "b"));
  auto start = text.find("\r\nSubject: ") + 2;
  auto end = text.find("\r\nDate: ");
  std::string header = text.substr(start, end - start);  // with its folded lines

  std::string decoded;
  std::size_t words = 0;
  std::size_t pos = 0;
  while ((pos = header.find("=?utf-8?B?", pos)) != std::string::npos) {
    auto word_end = header.find("?=", pos + 10);
    ASSERT_NE(word_end, std::string::npos);
    std::string part = test::decode_base64(header.substr(pos + 10, word_end - pos - 10));
    // Each word decodes on its own to whole characters: it never starts mid-sequence.
    ASSERT_FALSE(part.empty());
    EXPECT_NE(static_cast<unsigned char>(part.front()) & 0xc0, 0x80);
    decoded += part;
    ++words;
    pos = word_end;
  }
  EXPECT_EQ(decoded, subject);
  EXPECT_GT(words, 1u);
  std::size_t line_start = 0;
  for (std::size_t eol; (eol = header.find("\r\n", line_start)) != std::string::npos;
       line_start = eol + 2) {
    EXPECT_LE(eol - line_start, 78u);
    EXPECT_EQ(header[eol + 2], ' ') << "a continuation line starts with white space";
  }
  EXPECT_LE(header.size() - line_start, 78u);
}

TEST(FormatMessage, RefusesABadSender) {
  auto text = format_message(message("a@b.c", "s", "b"), "FerrLabs\r\nBcc: eve@evil.test",
                             {kDate, "1.abc@ferrlabs.com"});
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().field, "from");
}

}  // namespace
}  // namespace ferr::mail
