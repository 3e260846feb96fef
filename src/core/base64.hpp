#pragma once
/// The one base64 encoder (RFC 4648), in its two alphabets: the standard one with padding (MIME
/// bodies and encoded words, CSP hashes) and the URL-safe one without (tokens, JWTs).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ferr::core {

/// Which alphabet, and whether to pad.
enum class Base64 {
  standard,  ///< `+` `/` with `=` padding (§4)
  url,       ///< `-` `_` without padding (§5)
};

/// `bytes` in base64.
std::string base64_encode(std::span<const std::uint8_t> bytes, Base64 alphabet = Base64::standard);
/// The bytes of `text` in base64.
std::string base64_encode(std::string_view text, Base64 alphabet = Base64::standard);

}  // namespace ferr::core
