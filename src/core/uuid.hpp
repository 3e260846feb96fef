#pragma once
/// UUIDs: 16 raw bytes, canonical lowercase text, and time-ordered v7 generation.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/random.hpp"

namespace ferr::core {

/// A UUID held as its 16 raw bytes, in the order of the hex digits of its canonical text.
struct Uuid {
  std::array<std::uint8_t, 16> bytes{};

  /// Parses the canonical 36-character form (either case); nullopt otherwise.
  static std::optional<Uuid> parse(std::string_view text);
  /// A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits.
  static Uuid v7(const Clock& clock, Random& random);
  /// Canonical lowercase `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
  std::string to_string() const;

  friend bool operator==(const Uuid&, const Uuid&) = default;
  // clang-tidy 14 reports the literal 0 of the compiler-generated comparison of a defaulted <=>
  // as a null pointer wherever the ordering is used: a false positive.
  friend auto operator<=>(const Uuid&, const Uuid&) = default;  // NOLINT(modernize-use-nullptr)
};

}  // namespace ferr::core
