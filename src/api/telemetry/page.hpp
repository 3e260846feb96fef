#pragma once
/// The public /telemetry pages of telemetry.md §6: one complete HTML document per language,
/// generated from the catalog, the disclosure texts and the live counts. Rendering is a pure
/// function; `telemetry_page_routes` fetches the counts and serves the result.
///
/// The stylesheet is inline and allowed by its SHA-256 in the page's Content-Security-Policy, so
/// the page loads nothing at all besides itself: no script, font, image or other origin.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "api/html.hpp"
#include "core/clock.hpp"
#include "domain/telemetry/statistics.hpp"

namespace ferr::api {

/// The languages the page is published in.
enum class PageLanguage { en, fr };

/// Everything a page shows besides the catalog and the disclosure texts.
struct TelemetryPageData {
  PageLanguage language = PageLanguage::en;
  std::string_view key_id;  ///< the running key's id, 8 hex
  int retention_days = 90;  ///< raw events are kept this many days
  int k = 5;                ///< counts over fewer distinct subjects are withheld
  /// When the live counts were computed (they are shared for a few seconds,
  /// FERRLABS_STATS_CACHE_S); the footer's date too.
  core::TimePoint generated_at;
  /// The live counts, normally one per catalog event (`TelemetryStatistics::recent()`); an event
  /// without an entry shows as unavailable.
  std::span<const domain::telemetry::RecentCounts> counts;
  /// The daily counts over the retention window (`TelemetryStatistics::daily(retention_days)`),
  /// drawn as one chart per event; none when null.
  const domain::telemetry::DailyStatistics* daily = nullptr;
};

/// The complete HTML document (UTF-8).
std::string render_telemetry_page(const TelemetryPageData& data);

/// `/telemetry` or `/fr/telemetry`.
std::string_view telemetry_page_path(PageLanguage language);

/// The stylesheet, exactly as it appears between `<style>` and `</style>`.
std::string_view telemetry_page_stylesheet();

/// The page's Content-Security-Policy: nothing may load; only the page's own stylesheet applies.
std::string telemetry_page_csp();

/// `text` as the page prints it. In French, the spaces before `:`, `;`, `?` and `!` and inside
/// `« »` become no-break spaces (narrow before `;?!`), so that no line starts with the sign; in
/// English, `text` unchanged.
std::string typeset(PageLanguage language, std::string_view text);

}  // namespace ferr::api
