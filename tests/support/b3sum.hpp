#pragma once
// The independent BLAKE3 oracle of telemetry.md §2: Debian's `b3sum`, run as a subprocess.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ferr::testing {

/// `b3sum --keyed` of `message` with the raw 32-byte `key` fed on stdin: the full 32-byte output
/// as lowercase hex, or nullopt when b3sum could not run (it is installed by
/// scripts/install-deps.sh).
std::optional<std::string> b3sum_keyed(const std::array<std::uint8_t, 32>& key,
                                       std::string_view message);

}  // namespace ferr::testing
