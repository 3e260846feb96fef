#include "mail/message_format.hpp"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <ctime>

#include "core/base64.hpp"
#include "core/email.hpp"
#include "core/hex.hpp"
#include "core/random.hpp"

namespace ferr::mail {
namespace {

bool has_line_break(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

bool is_ascii(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// RFC 2047 encoded words of at most 42 bytes each (56 base64 characters, so even the first
// line, after `Subject: `, stays under 78), cut between UTF-8 sequences because each word must
// decode on its own.
std::string encode_subject(std::string_view subject) {
  static constexpr std::size_t kChunk = 42;
  std::string out;
  while (!subject.empty()) {
    std::size_t n = subject.size() <= kChunk ? subject.size() : kChunk;
    while (n < subject.size() && n > 0 && (static_cast<unsigned char>(subject[n]) & 0xc0) == 0x80)
      --n;
    if (n == 0) n = subject.size() <= kChunk ? subject.size() : kChunk;  // not UTF-8: cut anyway
    if (!out.empty()) out += "\r\n ";
    out += "=?utf-8?B?";
    out += core::base64_encode(subject.substr(0, n));
    out += "?=";
    subject.remove_prefix(n);
  }
  return out;
}

// SMTP and RFC 5322 want CRLF everywhere: a lone LF or CR becomes CRLF.
void append_body(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
}

}  // namespace

core::Result<std::string> sender_address(std::string_view from) {
  if (has_line_break(from))
    return core::fail(core::Error::validation("from", "the sender must be one line"));
  std::string_view address = from;
  auto open = from.rfind('<');
  if (open != std::string_view::npos) {
    auto close = from.find('>', open);
    if (close == std::string_view::npos || close + 1 != from.size())
      return core::fail(core::Error::validation("from", "the sender must end with <address>"));
    address = from.substr(open + 1, close - open - 1);
  }
  if (!core::is_valid_email(address))
    return core::fail(core::Error::validation("from", "the sender holds no valid address"));
  return std::string(address);
}

core::Result<void> check_message(const domain::MailMessage& message) {
  // Line breaks get their own message: they are the header-injection attempt worth spotting.
  if (has_line_break(message.to))
    return core::fail(core::Error::validation("to", "the recipient must be one line"));
  if (has_line_break(message.subject))
    return core::fail(core::Error::validation("subject", "the subject must be one line"));
  if (!core::is_valid_email(message.to))
    return core::fail(core::Error::validation("to", "the recipient is not a plain address"));
  return {};
}

std::string_view address_domain(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view("(none)") : address.substr(at + 1);
}

std::string format_rfc5322_date(core::TimePoint time) {
  // Hand-made rather than strftime: %a and %b follow the process locale.
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000",
                     kDays[static_cast<std::size_t>(tm.tm_wday)], tm.tm_mday,
                     kMonths[static_cast<std::size_t>(tm.tm_mon)], tm.tm_year + 1900, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

std::string new_message_id(std::string_view sender_address) {
  std::array<std::uint8_t, 12> random{};
  core::SodiumRandom().fill(random);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return fmt::format("{}.{}@{}", ms, core::to_hex(random), address_domain(sender_address));
}

core::Result<std::string> format_message(const domain::MailMessage& message, std::string_view from,
                                         const MessageMeta& meta) {
  if (auto checked = check_message(message); !checked) return core::fail(checked.error());
  if (auto address = sender_address(from); !address) return core::fail(address.error());
  if (has_line_break(meta.message_id) || meta.message_id.find_first_of("<> ") != std::string::npos)
    return core::fail(core::Error::internal("malformed Message-ID"));

  std::string out;
  out.reserve(400 + message.subject.size() + message.text.size() + message.text.size() / 32);
  out += "From: ";
  out += from;
  out += "\r\nTo: ";
  out += message.to;
  out += "\r\nSubject: ";
  out += is_ascii(message.subject) ? message.subject : encode_subject(message.subject);
  out += "\r\nDate: ";
  out += format_rfc5322_date(meta.date);
  out += "\r\nMessage-ID: <";
  out += meta.message_id;
  out +=
      ">\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n"
      "\r\n";
  append_body(out, message.text);
  return out;
}

}  // namespace ferr::mail
