#pragma once
/// Lowercase hexadecimal encoding and strict decoding.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ferr::core {

/// Lowercase hex of `bytes`.
std::string to_hex(std::span<const std::uint8_t> bytes);

/// Decodes hex (either case); nullopt on an odd length or a non-hex character.
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex);

}  // namespace ferr::core
