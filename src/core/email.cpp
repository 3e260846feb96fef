#include "core/email.hpp"

#include <cstdint>

namespace ferr::core {

namespace {

constexpr std::size_t kMaxLabelBytes = 63;

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5322 `atext` without the letters and digits: what a dot-atom local part may hold besides
// them. Everything else in ASCII (spaces, controls, `"(),:;<>@[\]`) would need quoting, and a
// quoted local part is refused: it is how `<`, `>` and line breaks reach headers and envelopes.
bool is_atext_symbol(char c) {
  constexpr std::string_view kSymbols = "!#$%&'*+-/=?^_`{|}~";
  return kSymbols.find(c) != std::string_view::npos;
}

// Code points that render as nothing or as a space: they make two different addresses look
// alike, and no mailbox needs them.
bool is_space_or_invisible(std::uint32_t cp) {
  return cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200f) ||
         (cp >= 0x2028 && cp <= 0x202f) || (cp >= 0x205f && cp <= 0x206f) || cp == 0x3000 ||
         cp == 0xfeff;
}

// The length of the well-formed, printable UTF-8 sequence at `s[i]` (a lead byte >= 0x80), or 0.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  auto lead = static_cast<unsigned char>(s[i]);
  std::size_t length = (lead & 0xe0) == 0xc0   ? 2
                       : (lead & 0xf0) == 0xe0 ? 3
                       : (lead & 0xf8) == 0xf0 ? 4
                                               : 0;
  if (length == 0 || s.size() - i < length) return 0;
  std::uint32_t cp = lead & (0x7fU >> length);
  for (std::size_t k = 1; k < length; ++k) {
    auto next = static_cast<unsigned char>(s[i + k]);
    if ((next & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (next & 0x3fU);
  }
  if (cp < kSmallest[length] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  if (cp < 0xa0 || is_space_or_invisible(cp)) return 0;  // C1 controls and the above
  return length;
}

// A dot-atom: runs of atext (or UTF-8) separated by single dots, none at either end.
bool is_valid_local_part(std::string_view local) {
  if (local.empty() || local.size() > kMaxEmailLocalBytes) return false;
  if (local.front() == '.' || local.back() == '.') return false;
  for (std::size_t i = 0; i < local.size();) {
    char c = local[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      std::size_t n = utf8_sequence(local, i);
      if (n == 0) return false;
      i += n;
      continue;
    }
    if (c == '.' && local[i + 1] == '.') return false;  // never at the end: checked above
    if (c != '.' && !is_ascii_alnum(c) && !is_atext_symbol(c)) return false;
    ++i;
  }
  return true;
}

// Host names (RFC 1123 labels, or UTF-8 labels of an internationalised name), at least two of
// them: no address literals, no single-label hosts such as `localhost`.
bool is_valid_domain(std::string_view domain) {
  if (domain.empty()) return false;
  std::size_t labels = 0;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = domain.find('.', start);
    std::string_view label =
        domain.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || label.size() > kMaxLabelBytes) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (std::size_t i = 0; i < label.size();) {
      if (static_cast<unsigned char>(label[i]) >= 0x80) {
        std::size_t n = utf8_sequence(label, i);
        if (n == 0) return false;
        i += n;
        continue;
      }
      if (!is_ascii_alnum(label[i]) && label[i] != '-') return false;
      ++i;
    }
    ++labels;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels >= 2;
}

}  // namespace

bool is_valid_email(std::string_view address) {
  if (address.empty() || address.size() > kMaxEmailBytes) return false;
  auto at = address.find('@');
  if (at == std::string_view::npos) return false;
  // A second `@` is neither atext nor a host character, so the part checks refuse it.
  return is_valid_local_part(address.substr(0, at)) && is_valid_domain(address.substr(at + 1));
}

std::optional<std::string> normalize_email(std::string_view raw) {
  while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) raw.remove_prefix(1);
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t')) raw.remove_suffix(1);
  // Checked before copying, so an over-long input costs no allocation.
  if (raw.empty() || raw.size() > kMaxEmailBytes) return std::nullopt;
  std::string email(raw);
  for (char& c : email)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (!is_valid_email(email)) return std::nullopt;
  return email;
}

}  // namespace ferr::core
