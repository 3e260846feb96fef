// The daily charts' geometry: one bar per day with events (a subpath of the chart's one path),
// scaled to the peak and never lower than one unit; withheld days hatched over the whole plot,
// never drawn as zero; the title and description wired as the accessible name and description,
// escaped.

#include "api/telemetry/chart.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace ferr::api {
namespace {

using Counts = std::vector<std::optional<std::int64_t>>;

struct Rect {
  double x, y, width, height;
};

// The bars of the path `<path class="NAME" … d="…"/>`: one `M{x} {base}V{top}h{width}V{base}z`
// subpath each, read back as rectangles.
std::vector<Rect> bars_in(const std::string& svg, const std::string& name) {
  std::smatch path;
  if (!std::regex_search(svg, path,
                         std::regex("<path class=\"" + name + "\"[^>]* d=\"([^\"]*)\"/>")))
    return {};
  const std::string d = path[1];
  static const std::regex kBar(R"re(M([0-9.]+) ([0-9.]+)V([0-9.]+)h([0-9.]+)V([0-9.]+)z)re");
  std::vector<Rect> out;
  std::size_t covered = 0;
  for (std::sregex_iterator it(d.begin(), d.end(), kBar), stop; it != stop; ++it) {
    double base = std::stod((*it)[2]), top = std::stod((*it)[3]);
    EXPECT_EQ(base, std::stod((*it)[5])) << "down to the baseline it started from";
    out.push_back({std::stod((*it)[1]), top, std::stod((*it)[4]), base - top});
    covered += it->length();
  }
  EXPECT_EQ(covered, d.size()) << "nothing but bars in " << d;
  return out;
}

std::string draw(const Counts& counts, std::string_view title = "auth.signup per day") {
  std::string out;
  append_daily_chart(out, {.id = "chart-auth.signup",
                           .title = title,
                           .description = "Daily counts of auth.signup",
                           .first_day = "1 May",
                           .last_day = "4 May",
                           .peak = "40",
                           .counts = counts});
  return out;
}

TEST(DailyChart, IsAnImageNamedByItsTitleAndDescribedByItsDescription) {
  auto svg = draw({1, 2, 3, 4});
  EXPECT_TRUE(svg.starts_with("<svg class=\"chart\" role=\"img\" id=\"chart-auth.signup\""));
  EXPECT_NE(svg.find("aria-labelledby=\"chart-auth.signup-title\""), std::string::npos);
  EXPECT_NE(svg.find("aria-describedby=\"chart-auth.signup-desc\""), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"chart-auth.signup-title\">auth.signup per day</title>"),
            std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"chart-auth.signup-desc\">Daily counts of auth.signup</desc>"),
            std::string::npos);
  EXPECT_NE(svg.find("data-days=\"4\""), std::string::npos);
  EXPECT_TRUE(svg.ends_with("</svg>"));
}

TEST(DailyChart, BarsAreScaledToThePeakAndAtLeastOneUnitHigh) {
  auto bars = bars_in(draw({0, 100, 50, 0, 1, 0, 0, 0}), "bars");
  ASSERT_EQ(bars.size(), 3u) << "days without events draw nothing";
  const double slot = 360.0 / 8;
  EXPECT_DOUBLE_EQ(bars[0].x, slot);
  EXPECT_DOUBLE_EQ(bars[1].x, 2 * slot);
  EXPECT_DOUBLE_EQ(bars[2].x, 4 * slot);
  EXPECT_DOUBLE_EQ(bars[0].width, 33.8) << "three quarters of a slot, to a tenth of a unit";
  EXPECT_DOUBLE_EQ(bars[0].height, 48) << "the peak fills the plot";
  EXPECT_DOUBLE_EQ(bars[1].height, 24) << "half the peak, half the height";
  EXPECT_DOUBLE_EQ(bars[2].height, 1) << "1 of 100 would be 0.48 units: still visible";
  for (const auto& bar : bars) EXPECT_DOUBLE_EQ(bar.y + bar.height, 60) << "on the baseline";
}

TEST(DailyChart, WithheldDaysAreHatchedOverTheWholePlotNotDrawnAsZero) {
  auto svg = draw({5, std::nullopt, 0, std::nullopt});
  auto withheld = bars_in(svg, "withheld");
  ASSERT_EQ(withheld.size(), 2u);
  EXPECT_DOUBLE_EQ(withheld[0].x, 90);
  EXPECT_DOUBLE_EQ(withheld[1].x, 270);
  for (const auto& band : withheld) {
    EXPECT_DOUBLE_EQ(band.y, 12);
    EXPECT_DOUBLE_EQ(band.height, 48);
  }
  EXPECT_NE(svg.find("<pattern id=\"chart-auth.signup-hatch\""), std::string::npos);
  EXPECT_NE(svg.find("fill=\"url(#chart-auth.signup-hatch)\""), std::string::npos);
  EXPECT_EQ(bars_in(svg, "bars").size(), 1u);
  EXPECT_EQ(draw({1, 2}).find("<pattern"), std::string::npos) << "no hatch when none is withheld";
}

TEST(DailyChart, LabelsTheFirstAndLastDayAndThePeakWhenThereIsOne) {
  auto svg = draw({3, 40});
  EXPECT_NE(svg.find(">40</text>"), std::string::npos);
  EXPECT_NE(svg.find(">1 May</text>"), std::string::npos);
  EXPECT_NE(svg.find("text-anchor=\"end\" x=\"360\" y=\"73\">4 May</text>"), std::string::npos);
  auto quiet = draw({0, std::nullopt, 0});
  EXPECT_EQ(quiet.find("class=\"peak\""), std::string::npos) << "no scale without a bar";
  EXPECT_TRUE(bars_in(quiet, "bars").empty());
}

TEST(DailyChart, EscapesItsTexts) {
  auto svg = draw({1}, "<b>\"x\" & 'y'</b>");
  EXPECT_NE(svg.find(">&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;</title>"),
            std::string::npos);
}

TEST(DailyChart, AnEmptyWindowIsAnEmptyPlot) {
  auto svg = draw({});
  EXPECT_NE(svg.find("data-days=\"0\""), std::string::npos);
  EXPECT_TRUE(bars_in(svg, "bars").empty());
  EXPECT_TRUE(svg.ends_with("</svg>"));
}

}  // namespace
}  // namespace ferr::api
