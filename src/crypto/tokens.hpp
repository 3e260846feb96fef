#pragma once
/// Random tokens, one-time codes and the hashes they are stored under.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/random.hpp"
#include "core/secret.hpp"

namespace ferr::crypto {

/// `bytes` random bytes as base64url without padding (32 bytes → 43 characters).
std::string random_token(core::Random& random, std::size_t bytes = 32);

/// A token of random_token's form (43 characters) derived from `input` under `key` (base64url of
/// HMAC-SHA256): the same input always gives the same token, and without the key it cannot be
/// told from a random one nor computed.
std::string derived_token(const core::Secret& key, std::string_view input);

/// Lowercase hex SHA-256 of `data`. Enough to store high-entropy tokens (refresh, reset): they
/// cannot be guessed from their hash.
std::string sha256_hex(std::string_view data);

/// Lowercase hex HMAC-SHA256 of `data` under `key`. For low-entropy secrets (6-digit codes),
/// whose plain hash a database leak would reveal by brute force; without the key it does not.
std::string keyed_hash_hex(const core::Secret& key, std::string_view data);

/// A uniformly drawn code from 000000 to 999999, leading zeros kept.
std::string six_digit_code(core::Random& random);

/// HMAC-SHA256 of `data` under a key of any length.
std::array<std::uint8_t, 32> hmac_sha256(std::string_view key, std::string_view data);

/// base64url of `bytes`, without padding (RFC 4648 §5).
std::string base64url_encode(std::span<const std::uint8_t> bytes);

/// Strict decoding of unpadded base64url: nullopt on padding, on any character outside the
/// alphabet, on an impossible length or on non-zero unused bits.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace ferr::crypto
