#include "crypto/password_policy.hpp"

#include <algorithm>
#include <cstdint>

namespace ferr::crypto {

namespace detail {
// Generated at build time by cmake/embed_common_passwords.cmake from Debian's word lists.
extern const std::string_view kCommonPasswords[];
extern const std::size_t kCommonPasswordCount;
}  // namespace detail

namespace {

constexpr std::size_t kMinCodePoints = 8;
constexpr std::size_t kMaxCodePoints = 128;

/// The number of code points of `s`, or nullopt when `s` is not well-formed UTF-8 (RFC 3629: no
/// overlong forms, no surrogates, nothing above U+10FFFF).
std::optional<std::size_t> code_points(std::string_view s) {
  static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    auto lead = static_cast<unsigned char>(s[i]);
    std::size_t length = 0;
    std::uint32_t cp = 0;
    if (lead < 0x80) {
      length = 1;
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      cp = lead & 0x07;
    } else {
      return std::nullopt;  // a continuation byte without a lead, or 0xF8..0xFF
    }
    if (s.size() - i < length) return std::nullopt;
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (next & 0x3F);
    }
    if (length > 1 && (cp < kSmallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)))
      return std::nullopt;
    i += length;
    ++count;
  }
  return count;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

bool is_common(std::string_view lowered) {
  auto list = common_passwords();
  return std::binary_search(list.begin(), list.end(), lowered);
}

}  // namespace

std::optional<std::string> password_weakness(std::string_view password, std::string_view email) {
  auto length = code_points(password);
  if (!length) return "password must be valid UTF-8";
  if (*length < kMinCodePoints) return "password must be at least 8 characters";
  if (*length > kMaxCodePoints) return "password must be at most 128 characters";
  std::string lowered = ascii_lower(password);
  if (!trim(email).empty() && trim(lowered) == ascii_lower(trim(email)))
    return "password must not be the e-mail address";
  if (is_common(lowered)) return "password is too common";
  return std::nullopt;
}

std::size_t common_password_count() { return detail::kCommonPasswordCount; }

std::span<const std::string_view> common_passwords() {
  return {detail::kCommonPasswords, detail::kCommonPasswordCount};
}

}  // namespace ferr::crypto
