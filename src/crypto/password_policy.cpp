#include "crypto/password_policy.hpp"

#include <zxcvbn.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/field_limits.hpp"

namespace ferr::crypto {

namespace detail {
// Generated at build time by cmake/embed_common_passwords.cmake from Debian's word lists.
extern const std::string_view kCommonPasswords[];
extern const std::size_t kCommonPasswordCount;
}  // namespace detail

namespace {

constexpr std::size_t kMinCodePoints = core::limits::kPasswordMinChars;
constexpr std::size_t kMaxCodePoints = core::limits::kPasswordMaxChars;

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

struct MatchInfoDeleter {
  void operator()(ZxcMatch_t* info) const { ZxcvbnFreeInfo(info); }
};
using MatchInfo = std::unique_ptr<ZxcMatch_t, MatchInfoDeleter>;

// Splits `text` on what is neither an ASCII letter or digit nor part of a UTF-8 sequence, so
// `Ada Lovelace` and `ada.lovelace@example.com` give their words.
void add_words(std::string_view text, std::vector<std::string>& words) {
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(word);
    word.clear();
  };
  for (char c : ascii_lower(text)) {
    bool inside =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
    if (inside)
      word += c;
    else
      flush();
  }
  flush();
}

// What zxcvbn should know about the owner: the whole address, its local part and domain, each
// word of both, the display name and its words (lower case, each at least 3 bytes, no repeats).
// (A swap would split the name at its "@" and not the address: fewer words, never a crash; the
// policy tests of both words would fail.)
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
std::vector<std::string> user_words(std::string_view email, std::string_view display_name) {
  std::string address = ascii_lower(trim(email));
  std::vector<std::string> words{address, ascii_lower(trim(display_name))};
  if (auto at = address.rfind('@'); at != std::string::npos) {
    words.push_back(address.substr(0, at));
    words.push_back(address.substr(at + 1));
  }
  add_words(address, words);
  add_words(display_name, words);
  // Shorter words would match almost anything.
  std::erase_if(words, [](const std::string& w) { return w.size() < 3; });
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

// The sentence that tells the user why zxcvbn found the password guessable: the most telling
// kind of pattern among the parts it recognised.
std::string guessable_because(const ZxcMatch_t* matches) {
  bool user = false, dictionary = false, keyboard = false, sequence = false, repeats = false,
       date = false;
  for (const ZxcMatch_t* m = matches; m != nullptr; m = m->Next) {
    switch (static_cast<int>(m->Type) & ~static_cast<int>(MULTIPLE_MATCH)) {
      case USER_MATCH:
      case USER_LEET_MATCH: user = true; break;
      case DICTIONARY_MATCH:
      case DICT_LEET_MATCH: dictionary = true; break;
      case SPATIAL_MATCH: keyboard = true; break;
      case SEQUENCE_MATCH: sequence = true; break;
      case REPEATS_MATCH: repeats = true; break;
      case DATE_MATCH:
      case YEAR_MATCH: date = true; break;
      default: break;
    }
  }
  const char* why = user         ? "it contains your e-mail address or name"
                    : dictionary ? "it is built from common words or passwords"
                    : keyboard   ? "it follows a keyboard pattern"
                    : sequence   ? "it contains a sequence such as abc or 123"
                    : repeats    ? "it repeats characters"
                    : date       ? "it contains a date or a year"
                                 : "it needs more characters or more variety";
  return std::string("password is too easy to guess (under 10^8 guesses): ") + why;
}

// zxcvbn's estimate in bits, with what it recognised in `info`.
double estimate_bits(std::string_view password, const std::vector<std::string>& words,
                     MatchInfo& info) {
  std::vector<const char*> dictionary;
  dictionary.reserve(words.size() + 1);
  for (const auto& w : words) dictionary.push_back(w.c_str());
  dictionary.push_back(nullptr);  // the list ends like argv
  std::string text(password);     // zxcvbn reads a NUL-terminated string
  ZxcMatch_t* raw = nullptr;
  double bits = ZxcvbnMatch(text.c_str(), dictionary.data(), &raw);
  info.reset(raw);
  return bits;
}

}  // namespace

std::optional<std::string> password_weakness(std::string_view password, std::string_view email,
                                             std::string_view display_name) {
  auto length = code_points(password);
  if (!length) return "password must be valid UTF-8";
  if (*length < kMinCodePoints) return "password must be at least 8 characters";
  if (*length > kMaxCodePoints) return "password must be at most 128 characters";
  std::string lowered = ascii_lower(password);
  if (!trim(email).empty() && trim(lowered) == ascii_lower(trim(email)))
    return "password must not be the e-mail address";
  if (is_common(lowered)) return "password is too common";
  MatchInfo info;
  if (estimate_bits(password, user_words(email, display_name), info) < kMinGuessesLog2)
    return guessable_because(info.get());
  return std::nullopt;
}

std::size_t common_password_count() { return detail::kCommonPasswordCount; }

std::span<const std::string_view> common_passwords() {
  return {detail::kCommonPasswords, detail::kCommonPasswordCount};
}

}  // namespace ferr::crypto
