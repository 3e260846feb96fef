#pragma once
/// The RFC 5322 text of a message, shared by the file and SMTP transports so both write the
/// same bytes, and the checks that keep a caller's value from adding headers of its own.

#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "domain/mail.hpp"

namespace ferr::mail {

/// The bare address of a sender such as `FerrLabs <no-reply@ferrlabs.com>` (or of a bare
/// address); an error when it holds no usable address or a line break.
core::Result<std::string> sender_address(std::string_view from);

/// Checks what goes into headers and the envelope: `to` must be one address by the rule
/// registration applies too (core::is_valid_email), and `subject` one line. The error never
/// quotes the value (it is personal data).
core::Result<void> check_message(const domain::MailMessage& message);

/// The part after the last `@` of `address` (what logs may show instead of the address).
std::string_view address_domain(std::string_view address);

/// `Tue, 05 May 2026 21:00:00 +0000` (RFC 5322 section 3.3, always UTC, never localised).
std::string format_rfc5322_date(core::TimePoint time);

/// A fresh globally unique Message-ID without the angle brackets: `<ms>.<random>@<domain>`.
std::string new_message_id(std::string_view sender_address);

/// The headers a message gets besides its content; passed in so the output is reproducible.
struct MessageMeta {
  core::TimePoint date;    ///< the Date header
  std::string message_id;  ///< the Message-ID header, without angle brackets
};

/// The whole message with CRLF line endings: From, To, Subject (RFC 2047-encoded when not
/// ASCII), Date, Message-ID, MIME headers for 8-bit UTF-8 plain text, a blank line, the body.
/// The body is kept as given apart from line endings; dot-stuffing is left to the SMTP client.
core::Result<std::string> format_message(const domain::MailMessage& message, std::string_view from,
                                         const MessageMeta& meta);

}  // namespace ferr::mail
