#pragma once
/// RFC 3339 UTC timestamps with milliseconds, the only time format on the wire, and the plain
/// dates (`YYYY-MM-DD`) of the daily statistics.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace ferr::core {

/// `2026-05-05T21:00:00.000Z`.
std::string format_rfc3339_ms(TimePoint t);

/// `2026-05-05`: the full-date of RFC 3339.
std::string format_date(std::chrono::sys_days day);

/// Parses RFC 3339 (`Z` or a numeric offset, optional fraction); nullopt when malformed.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

}  // namespace ferr::core
