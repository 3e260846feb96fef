#pragma once
/// The password rules of api.md: length, not the e-mail, not a common password, not guessable.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ferr::crypto {

/// zxcvbn's estimate, in bits (log2 of guesses), under which a password is refused: 10^8 guesses.
inline constexpr double kMinGuessesLog2 = 26.575424759098897;

/// Why `password` may not be used by the owner of `email` (and of `display_name`, when there is
/// one), in a short client-safe sentence; nullopt when it is acceptable. Rules, in order: valid
/// UTF-8, 8 to 128 code points, not the e-mail address (case-insensitive, ignoring surrounding
/// spaces), not a common password (case-insensitive), and at least 10^8 guesses by zxcvbn's
/// estimate with the e-mail, its parts and the display name's words as user words.
std::optional<std::string> password_weakness(std::string_view password, std::string_view email,
                                             std::string_view display_name = {});

/// How many common passwords are compiled in.
std::size_t common_password_count();

/// The compiled-in common passwords: lower case, unique, sorted byte-wise.
std::span<const std::string_view> common_passwords();

}  // namespace ferr::crypto
