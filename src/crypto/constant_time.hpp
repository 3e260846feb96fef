#pragma once
/// Comparing secrets without leaking where they differ.

#include <string_view>

namespace ferr::crypto {

/// True when `a == b`, in time independent of the contents (both sides are hashed to a fixed
/// size first, so the length does not leak either).
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace ferr::crypto
