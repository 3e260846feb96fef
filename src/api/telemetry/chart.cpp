#include "api/telemetry/chart.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "api/html.hpp"

namespace ferr::api {

namespace {

// The drawing's own units (the viewBox); CSS scales it to the width available.
constexpr double kWidth = 360;
constexpr double kPlotTop = 12;  // room above for the peak label
constexpr double kBaseline = 60;
constexpr double kHeight = 76;  // room below for the day labels
constexpr double kLabelBaseline = 73;
constexpr double kBarShare = 0.75;  // of a day's slot; the rest is the gap between bars

// A coordinate with at most one decimal and no trailing zero: "12", "3.5" (a tenth of a unit is
// well under a pixel at any size the page shows).
void append_number(std::string& out, double value) {
  std::array<char, 32> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(),
                                 std::round(value * 10) / 10, std::chars_format::fixed, 1);
  std::string_view text(buffer.data(), ec == std::errc() ? end - buffer.data() : 0);
  while (text.ends_with('0')) text.remove_suffix(1);
  if (text.ends_with('.')) text.remove_suffix(1);
  out += text.empty() || text == "-" ? "0" : text;
}

void append_attribute(std::string& out, std::string_view name, double value) {
  out += ' ';
  out += name;
  out += "=\"";
  append_number(out, value);
  out += '"';
}

// NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
void append_attribute(std::string& out, std::string_view name, std::string_view value) {
  append_html_attribute(out, name, value);
}

// One day's bar, from `top` down to the baseline, as a subpath: `M{x} {baseline}V{top}h{width}
// V{baseline}z`. A chart's bars are one <path> rather than a <rect> each: about 19 bytes a day
// instead of 50, which is most of the page's size once 90 days have events.
void append_bar(std::string& out, double x, double width, double top) {
  out += 'M';
  append_number(out, x);
  out += ' ';
  append_number(out, kBaseline);
  out += 'V';
  append_number(out, top);
  out += 'h';
  append_number(out, width);
  out += 'V';
  append_number(out, kBaseline);
  out += 'z';
}

}  // namespace

void append_daily_chart(std::string& out, const DailyChart& chart) {
  const std::string id(chart.id);
  const auto days = chart.counts.size();
  const double slot = days == 0 ? kWidth : kWidth / static_cast<double>(days);
  const double bar_width = slot * kBarShare;
  std::int64_t peak = 0;
  for (const auto& count : chart.counts)
    if (count) peak = std::max(peak, *count);

  out += "<svg class=\"chart\" role=\"img\"";
  append_attribute(out, "id", id);
  out += " viewBox=\"0 0 ";
  append_number(out, kWidth);
  out += ' ';
  append_number(out, kHeight);
  out += '"';
  append_attribute(out, "aria-labelledby", id + "-title");
  append_attribute(out, "aria-describedby", id + "-desc");
  append_attribute(out, "data-days", std::to_string(days));
  out += "><title";
  append_attribute(out, "id", id + "-title");
  out += '>';
  append_html_escaped(out, chart.title);
  out += "</title><desc";
  append_attribute(out, "id", id + "-desc");
  out += '>';
  append_html_escaped(out, chart.description);
  out += "</desc>\n";

  // Bars: a day's height is its share of the peak, and at least one unit, so that a day with
  // one event is never drawn like a day with none.
  out += "<path class=\"bars\" d=\"";
  for (std::size_t day = 0; day < days; ++day) {
    const auto& count = chart.counts[day];
    if (!count || *count <= 0 || peak == 0) continue;
    double height = std::max(
        1.0, (kBaseline - kPlotTop) * static_cast<double>(*count) / static_cast<double>(peak));
    append_bar(out, slot * static_cast<double>(day), bar_width, kBaseline - height);
  }
  out += "\"/>\n";

  // Withheld days: hatched over the plot's full height, a texture rather than a colour.
  bool any_withheld = std::any_of(chart.counts.begin(), chart.counts.end(),
                                  [](const auto& count) { return !count.has_value(); });
  if (any_withheld) {
    out += "<defs><pattern";
    append_attribute(out, "id", id + "-hatch");
    out +=
        " width=\"3\" height=\"3\" patternUnits=\"userSpaceOnUse\" "
        "patternTransform=\"rotate(45)\"><rect class=\"hatch\" width=\"1\" height=\"3\"/>"
        "</pattern></defs>\n<path class=\"withheld\"";
    append_attribute(out, "fill", "url(#" + id + "-hatch)");
    out += " d=\"";
    for (std::size_t day = 0; day < days; ++day)
      if (!chart.counts[day]) append_bar(out, slot * static_cast<double>(day), bar_width, kPlotTop);
    out += "\"/>\n";
  }

  out += "<line class=\"axis\" x1=\"0\"";
  append_attribute(out, "y1", kBaseline + 0.5);
  append_attribute(out, "x2", kWidth);
  append_attribute(out, "y2", kBaseline + 0.5);
  out += "/>\n";
  if (peak > 0) {
    out += "<text class=\"peak\" x=\"0\"";
    append_attribute(out, "y", kPlotTop - 3);
    out += '>';
    append_html_escaped(out, chart.peak);
    out += "</text>";
  }
  out += "<text class=\"day\" x=\"0\"";
  append_attribute(out, "y", kLabelBaseline);
  out += '>';
  append_html_escaped(out, chart.first_day);
  out += "</text><text class=\"day\" text-anchor=\"end\"";
  append_attribute(out, "x", kWidth);
  append_attribute(out, "y", kLabelBaseline);
  out += '>';
  append_html_escaped(out, chart.last_day);
  out += "</text>\n</svg>";
}

}  // namespace ferr::api
