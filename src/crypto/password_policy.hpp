#pragma once
/// The password rules of api.md: length, not the e-mail, not a common password.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ferr::crypto {

/// Why `password` may not be used by the owner of `email`, in a short client-safe sentence;
/// nullopt when it is acceptable. Rules, in order: valid UTF-8, 8 to 128 code points, not the
/// e-mail address (case-insensitive, ignoring surrounding spaces), not a common password
/// (case-insensitive).
std::optional<std::string> password_weakness(std::string_view password, std::string_view email);

/// How many common passwords are compiled in.
std::size_t common_password_count();

/// The compiled-in common passwords: lower case, unique, sorted byte-wise.
std::span<const std::string_view> common_passwords();

}  // namespace ferr::crypto
