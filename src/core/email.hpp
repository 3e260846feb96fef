#pragma once
/// The one e-mail address rule of the project: what registration, login, password reset and the
/// mailer all accept (docs/accounts.md "E-mail addresses"). It lives in core because both the
/// domain (accounts) and the mail transports use it, and neither may depend on the other for it.

#include <optional>
#include <string>
#include <string_view>

namespace ferr::core {

/// Longest address, in bytes (RFC 5321 §4.5.3.1.3: a 256-byte path minus the angle brackets).
inline constexpr std::size_t kMaxEmailBytes = 254;
/// Longest local part, in bytes (RFC 5321 §4.5.3.1.1).
inline constexpr std::size_t kMaxEmailLocalBytes = 64;

/// Whether `address` is one deliverable mailbox, exactly as written (no trimming): a dot-atom
/// local part (RFC 5322 `atext` and dots, or UTF-8 as RFC 6531 allows), `@`, and a domain of at
/// least two dot-separated labels of letters, digits and inner hyphens (or UTF-8); at most 254
/// bytes, 64 in the local part, 63 per label; valid UTF-8 without control characters. Quoted
/// local parts, comments and address literals are refused.
bool is_valid_email(std::string_view address);

/// `raw` without surrounding spaces and tabs, ASCII lower-cased, when the result is a valid
/// address (`is_valid_email`); nullopt otherwise.
std::optional<std::string> normalize_email(std::string_view raw);

}  // namespace ferr::core
