#include "domain/accounts/validation.hpp"

#include <algorithm>
#include <cstdint>

#include "core/email.hpp"
#include "core/field_limits.hpp"

namespace ferr::domain::accounts {

// Generated at build time from the tz database (cmake/embed_timezones.cmake): sorted names.
extern const std::string_view kTimezoneNames[];
extern const std::size_t kTimezoneCount;

namespace {

// Number of code points of valid UTF-8 text without control characters; -1 otherwise.
long printable_code_points(std::string_view s) {
  long count = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80             ? 1
                      : (c & 0xe0) == 0xc0 ? 2
                      : (c & 0xf0) == 0xe0 ? 3
                      : (c & 0xf8) == 0xf0 ? 4
                                           : 0;
    if (len == 0 || i + len > s.size()) return -1;
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return -1;
      cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return -1;
    i += len;
    ++count;
  }
  return count;
}

}  // namespace

std::optional<std::string> normalize_email(std::string_view raw) {
  return core::normalize_email(raw);
}

bool is_valid_display_name(std::string_view name) {
  long n = printable_code_points(name);
  return n >= static_cast<long>(core::limits::kNameMinChars) &&
         n <= static_cast<long>(core::limits::kNameMaxChars);
}

bool is_valid_locale(std::string_view locale) {
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  if (locale.size() == 2) return lower(locale[0]) && lower(locale[1]);
  return locale.size() == 5 && lower(locale[0]) && lower(locale[1]) && locale[2] == '-' &&
         upper(locale[3]) && upper(locale[4]);
}

bool is_valid_timezone(std::string_view name) {
  return std::binary_search(kTimezoneNames, kTimezoneNames + kTimezoneCount, name);
}

bool is_valid_avatar_url(std::string_view url) {
  if (url.size() > core::limits::kAvatarUrlMaxBytes) return false;
  if (!std::all_of(url.begin(), url.end(), [](char c) { return c > ' ' && c < 0x7f; }))
    return false;
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return false;
  }
  // The authority runs to the first `/`, `?` or `#`; its host part (after any `user@`, before
  // any `:port`) must not be empty.
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority.starts_with('[') ? authority.substr(0, authority.find(']') + 1)
                                                     : authority.substr(0, authority.find(':'));
  return !host.empty() && host != "[";
}

std::optional<std::string> session_user_agent(std::optional<std::string_view> header) {
  constexpr std::size_t kMaxLength = core::limits::kUserAgentMaxChars;
  if (!header || header->empty()) return std::nullopt;
  std::string kept(header->substr(0, kMaxLength));
  for (char& c : kept)
    if (c < ' ' || c > '~') c = '?';
  return kept;
}

}  // namespace ferr::domain::accounts
