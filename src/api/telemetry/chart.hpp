#pragma once
/// The small daily charts of the /telemetry pages: one inline SVG per event, drawn by the server
/// (no script), with its accessible name and text alternative. This file knows geometry only; the
/// page writes the words (title, description, axis labels) in its language.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ferr::api {

struct DailyChart {
  std::string_view id;     ///< unique in the page; the ids of the chart's parts derive from it
  std::string_view title;  ///< the accessible name
  std::string_view description;  ///< the text alternative: what the bars say, in words
  std::string_view first_day;    ///< label under the first bar
  std::string_view last_day;     ///< label under the last bar
  std::string_view peak;         ///< label of the top of the scale (the largest count)
  /// One count per day, oldest first: 0 draws nothing, nullopt (withheld) draws a hatched band
  /// the height of the plot, so a withheld day never looks like a quiet one.
  std::span<const std::optional<std::int64_t>> counts;
};

/// Appends `<svg role="img" …>…</svg>`: a bar per day scaled to the largest count, the withheld
/// days hatched, a baseline, and the three labels. Its title and description are its accessible
/// name and description (aria-labelledby / aria-describedby). Text is escaped.
void append_daily_chart(std::string& out, const DailyChart& chart);

}  // namespace ferr::api
