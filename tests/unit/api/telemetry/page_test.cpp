// The /telemetry pages list exactly the catalog, in both languages: every event, field, kind and
// value is found by iterating over the catalog itself, so an entry added to the catalog that does
// not show on the page fails here. The page is also checked as a document: well-formed nesting,
// unique ids, internal links that resolve, nothing loaded from anywhere, text escaped.

#include "api/telemetry/page.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/html_document.hpp"
#include "telemetry/catalog.hpp"
#include "telemetry/disclosure.hpp"

namespace ferr::api {
namespace {

namespace tel = ::ferr::telemetry;
using domain::telemetry::RecentCounts;
using testing::HtmlDocument;
using testing::parse_html;

constexpr std::string_view kNbsp = "\u00a0";

TEST(TelemetryPageHtmlChecker, CatchesBrokenDocuments) {
  EXPECT_EQ(parse_html("<!DOCTYPE html><html><p>a<br>b</p></html>").error, "");
  EXPECT_NE(parse_html("<!DOCTYPE html><html><p>a</html>").error, "");
  EXPECT_NE(parse_html("<!DOCTYPE html><html><p><b>a</p></b></html>").error, "");
  EXPECT_NE(parse_html("<!DOCTYPE html><html><p>a < b</p></html>").error, "");
  EXPECT_NE(parse_html("<!DOCTYPE html><html><p id=x>a</p></html>").error, "");
  EXPECT_NE(parse_html("<!DOCTYPE html><html><p id=\"a\" id=\"b\">a</p></html>").error, "");
  EXPECT_NE(parse_html("<html></html>").error, "");
  EXPECT_EQ(parse_html("<!DOCTYPE html><svg><rect x=\"1\"/></svg>").error, "");
  EXPECT_NE(parse_html("<!DOCTYPE html><svg><rect x=\"1\"></svg>").error, "");
}

// ---- Rendering ----------------------------------------------------------------------------------

// Live counts for the whole catalog: a number, a withheld count and zero, in turn.
std::vector<RecentCounts> sample_counts() {
  std::vector<RecentCounts> counts;
  for (std::size_t i = 0; i < tel::kEvents.size(); ++i) {
    const auto& event = tel::kEvents[i];
    RecentCounts c{&event, std::int64_t{0}, std::int64_t{0}};
    if (i % 3 == 0) c = {&event, std::int64_t{1234567}, std::int64_t{7654321}};
    if (i % 3 == 1 && event.subject != tel::Subject::none) c = {&event, std::nullopt, 42};
    counts.push_back(c);
  }
  return counts;
}

// Daily counts over a 7-day window for the whole catalog: a busy week, a week with withheld days
// (events that have a subject) and a quiet week, in turn.
domain::telemetry::DailyStatistics sample_daily() {
  domain::telemetry::DailyStatistics daily{
      .first_day = std::chrono::sys_days(std::chrono::year(2026) / 4 / 29), .days = 7};
  for (std::size_t i = 0; i < tel::kEvents.size(); ++i) {
    const auto& event = tel::kEvents[i];
    std::vector<std::optional<std::int64_t>> counts(7, std::int64_t{0});
    if (i % 3 == 0) counts = {1, 0, 2500, 40, 0, 1234, 7};
    if (i % 3 == 1 && event.subject != tel::Subject::none)
      counts = {std::nullopt, 12, 0, std::nullopt, 9, 0, 0};
    daily.series.push_back({&event, std::move(counts)});
  }
  return daily;
}

const auto kGenerated = core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5)) +
                        std::chrono::hours(14) + std::chrono::minutes(3);

std::string render(PageLanguage language, const std::vector<RecentCounts>& counts,
                   const domain::telemetry::DailyStatistics* daily = nullptr,
                   int retention_days = 37, int k = 5) {
  return render_telemetry_page({.language = language,
                                .key_id = "8e1199f3",
                                .retention_days = retention_days,
                                .k = k,
                                .generated_at = kGenerated,
                                .counts = counts,
                                .daily = daily});
}

std::string_view pick(PageLanguage language, const tel::Text& text) {
  return language == PageLanguage::fr ? text.fr : text.en;
}

// The markup from the element with `id` to the first `end` after it ("" when there is no such id).
std::string element_with_id(const std::string& html, const std::string& id, std::string_view end) {
  auto start = html.find("id=\"" + id + "\"");
  if (start == std::string::npos) return "";
  auto stop = html.find(end, start);
  return html.substr(start, stop == std::string::npos ? std::string::npos : stop - start);
}

std::size_t occurrences(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + needle.size()))
    ++n;
  return n;
}

class TelemetryPageTest : public ::testing::TestWithParam<PageLanguage> {
 protected:
  PageLanguage lang() const { return GetParam(); }
  std::string_view t(const tel::Text& text) const { return pick(lang(), text); }
  // A catalog text as the page shows it: typeset for the language, then escaped.
  std::string shown(const tel::Text& text) const { return html_escape(typeset(lang(), t(text))); }
  std::vector<RecentCounts> counts_ = sample_counts();
  domain::telemetry::DailyStatistics daily_ = sample_daily();
  std::string html_ = render(GetParam(), counts_, &daily_);
};

TEST_P(TelemetryPageTest, ListsEveryEventFieldKindAndValueOfTheCatalog) {
  std::size_t previous = 0;
  for (const auto& event : tel::kEvents) {
    std::string name(event.name);
    auto card = element_with_id(html_, "event-" + name, "</article>");
    ASSERT_FALSE(card.empty()) << name << " has no card";
    auto at = html_.find("id=\"event-" + name + "\"");
    EXPECT_GT(at, previous) << name << " is out of catalog order";
    previous = at;
    // Under its surface's section.
    constexpr std::string_view kSurfaceStart = "<section class=\"surface\" id=\"surface-";
    auto surface = html_.rfind(kSurfaceStart, at);
    ASSERT_NE(surface, std::string::npos);
    EXPECT_EQ(html_.substr(surface + kSurfaceStart.size(), tel::surface_name(event.surface).size()),
              tel::surface_name(event.surface))
        << name;
    EXPECT_NE(card.find("<h4 id=\"event-" + name + "-title\"><code>" + name + "</code></h4>"),
              std::string::npos)
        << name;
    EXPECT_NE(card.find(shown(event.when)), std::string::npos) << name;
    EXPECT_EQ(occurrences(card, "<tr id=\"field-"), event.fields.size()) << name;
    for (const auto& field : event.fields) {
      std::string field_name(field.name);
      auto row = element_with_id(card, "field-" + name + "." + field_name, "</tr>");
      ASSERT_FALSE(row.empty()) << name << "." << field_name << " has no row";
      EXPECT_NE(row.find("<th scope=\"row\"><code>" + field_name + "</code></th>"),
                std::string::npos);
      EXPECT_NE(row.find("<code>" + std::string(tel::kind_name(field.kind)) + "</code>"),
                std::string::npos)
          << name << "." << field_name;
      EXPECT_NE(row.find(shown(field.doc)), std::string::npos) << name << "." << field_name;
      EXPECT_EQ(occurrences(row, "<li><code>"), field.values.size()) << name << "." << field_name;
      for (auto value : field.values)
        EXPECT_NE(row.find("<li><code>" + html_escape(value) + "</code></li>"), std::string::npos)
            << name << "." << field_name << " = " << value;
    }
  }
  EXPECT_EQ(occurrences(html_, "<article class=\"event\""), tel::kEvents.size());
  EXPECT_EQ(occurrences(html_, "<section class=\"surface\""), tel::kSurfaces.size());
}

TEST_P(TelemetryPageTest, ShowsWhyTheNeverCollectedListAndTheThreeOptOutPaths) {
  auto doc = parse_html(html_);
  ASSERT_EQ(doc.error, "");
  EXPECT_NE(html_.find(shown(tel::kWhyCollected)), std::string::npos);
  auto never = element_with_id(html_, "never-collected", "</section>");
  EXPECT_EQ(occurrences(never, "<li>"), tel::kNeverCollected.size());
  for (const auto& item : tel::kNeverCollected)
    EXPECT_NE(never.find("<li>" + shown(item) + "</li>"), std::string::npos) << item.en;
  ASSERT_EQ(tel::kOptOutPaths.size(), 3u);
  for (const auto& path : tel::kOptOutPaths) {
    auto item = element_with_id(html_, "opt-out-" + std::string(path.id), "</li>");
    ASSERT_FALSE(item.empty()) << path.id;
    EXPECT_NE(item.find("<h3>" + shown(path.title) + "</h3>"), std::string::npos);
    // The technical tokens are set as code: the text reads the same once tags are removed.
    auto text = parse_html("<!DOCTYPE html><li " + item + "</li>").text;
    EXPECT_NE(text.find(shown(path.how)), std::string::npos) << path.id << ": " << text;
  }
  EXPECT_NE(html_.find("<code>FERRFLOW_TELEMETRY=0</code>"), std::string::npos);
  EXPECT_NE(html_.find("<code>DO_NOT_TRACK=1</code>"), std::string::npos);
  EXPECT_NE(html_.find("<code>PUT /v1/me/telemetry-prefs</code>"), std::string::npos);
  EXPECT_NE(html_.find("<code>PUT /v1/orgs/{slug}/telemetry-prefs</code>"), std::string::npos);
}

TEST_P(TelemetryPageTest, ShowsTheKeyIdTheRotationAndTheRetentionWindow) {
  auto hashing = element_with_id(html_, "pseudonyms", "</section>");
  EXPECT_NE(hashing.find("<code>8e1199f3</code>"), std::string::npos);
  EXPECT_NE(hashing.find("BLAKE3"), std::string::npos);
  EXPECT_NE(hashing.find("<code>ferrlabs.telemetry.key-id</code>"), std::string::npos);
  std::string rotation = std::to_string(tel::kKeyRotationDays);
  std::string days = lang() == PageLanguage::fr ? "jours" : "days";
  EXPECT_NE(hashing.find(rotation + std::string(kNbsp) + days), std::string::npos);
  auto retention = element_with_id(html_, "retention", "</section>");
  EXPECT_NE(retention.find(std::string("37") + std::string(kNbsp) + days), std::string::npos)
      << retention;
  EXPECT_NE(html_.find("<strong>37</strong>"), std::string::npos) << "the retention fact";
}

TEST_P(TelemetryPageTest, ShowsNumbersAsNumbersAndWithheldCountsAsWithheld) {
  bool fr = lang() == PageLanguage::fr;
  for (const auto& c : counts_) {
    std::string name(c.event->name);
    auto row = element_with_id(html_, "count-" + name, "</tr>");
    ASSERT_FALSE(row.empty()) << name;
    EXPECT_NE(row.find("href=\"#event-" + name + "\""), std::string::npos);
    for (const auto& [window, value] :
         {std::pair{std::string("24h"), c.last_24h}, std::pair{std::string("7d"), c.last_7d}}) {
      auto cell = row.substr(row.find("data-window=\"" + window + "\""));
      cell = cell.substr(0, cell.find("</td>"));
      if (value) {
        EXPECT_NE(cell.find("data-count=\"" + std::to_string(*value) + "\""), std::string::npos)
            << name << " " << window << ": " << cell;
        EXPECT_EQ(cell.find("data-suppressed"), std::string::npos);
      } else {
        bool org = c.event->subject == tel::Subject::org;
        std::string expected = fr ? (org ? "moins de 5 organisations" : "moins de 5 utilisateurs")
                                  : (org ? "fewer than 5 organizations" : "fewer than 5 users");
        EXPECT_NE(cell.find("data-suppressed=\"true\""), std::string::npos) << name;
        EXPECT_NE(cell.find(expected), std::string::npos) << name << ": " << cell;
        EXPECT_EQ(cell.find("data-count"), std::string::npos);
      }
    }
  }
  // Thousands grouped as each language writes them.
  EXPECT_NE(html_.find(fr ? ">1\u202f234\u202f567</td>" : ">1,234,567</td>"), std::string::npos);
  // k is explained next to the table.
  auto note = element_with_id(html_, "k-explanation", "</div>");
  EXPECT_NE(note.find("k = 5"), std::string::npos);
  EXPECT_NE(note.find(fr ? "moins de 5" : "fewer than 5"), std::string::npos);
}

TEST_P(TelemetryPageTest, AnEventWithoutCountsShowsUnavailable) {
  std::vector<RecentCounts> partial(counts_.begin() + 1, counts_.end());
  auto html = render(lang(), partial);
  auto row = element_with_id(html, "count-" + std::string(tel::kEvents[0].name), "</tr>");
  EXPECT_EQ(occurrences(row, "data-unavailable=\"true\""), 2u) << row;
  EXPECT_NE(row.find(lang() == PageLanguage::fr ? "indisponible" : "unavailable"),
            std::string::npos);
}

TEST_P(TelemetryPageTest, DrawsEachEventsDailyCountsWithATextAlternative) {
  bool fr = lang() == PageLanguage::fr;
  for (const auto& series : daily_.series) {
    std::string name(series.event->name);
    auto card = element_with_id(html_, "event-" + name, "</article>");
    auto figure = card.substr(card.find("<figure class=\"daily\">"));
    figure = figure.substr(0, figure.find("</figure>"));
    ASSERT_NE(figure.find("<svg class=\"chart\" role=\"img\" id=\"chart-" + name + "\""),
              std::string::npos)
        << name << " has no chart in its card";
    EXPECT_NE(figure.find(fr ? "<figcaption>Événements par jour, 7\u00a0derniers jours</figcaption>"
                             : "<figcaption>Events per day, last 7\u00a0days</figcaption>"),
              std::string::npos)
        << figure;
    std::size_t bars = 0, withheld = 0;
    for (const auto& count : series.counts) {
      if (!count) ++withheld;
      if (count && *count > 0) ++bars;
    }
    // Each bar is one subpath ("M…z") of the path of its class.
    auto path = [&](std::string_view cls) {
      auto at = figure.find("<path class=\"" + std::string(cls) + "\"");
      return at == std::string::npos ? std::string()
                                     : figure.substr(at, figure.find("/>", at) - at);
    };
    EXPECT_EQ(occurrences(path("bars"), "z"), bars) << name;
    EXPECT_EQ(occurrences(path("withheld"), "z"), withheld) << name;
    auto desc = element_with_id(figure, "chart-" + name + "-desc", "</desc>");
    bool org = series.event->subject == tel::Subject::org;
    std::string who = fr ? (org ? "moins de 5 organisations" : "moins de 5 utilisateurs")
                         : (org ? "fewer than 5 organizations" : "fewer than 5 users");
    if (bars == 0 && withheld == 0) {
      EXPECT_NE(desc.find(fr ? "\u00a0: aucun." : ": none."), std::string::npos) << desc;
    } else if (withheld == 0) {
      EXPECT_NE(desc.find(fr ? "3\u202f782 au total, au plus 2\u202f500 en un jour "
                               "(1\u00a0mai\u00a02026)."
                             : "3,782 in all, at most 2,500 on one day (1\u00a0May\u00a02026)."),
                std::string::npos)
          << desc;
      EXPECT_EQ(figure.find("class=\"legend\""), std::string::npos);
    } else {
      EXPECT_NE(desc.find(fr ? "21 au total sur les jours publiés, au plus 12 en un jour "
                               "(30\u00a0avril\u00a02026)"
                             : "21 in all on the days shown, at most 12 on one day "
                               "(30\u00a0April\u00a02026)"),
                std::string::npos)
          << desc;
      EXPECT_NE(desc.find(fr ? "2\u00a0jours masqués, " + who + " chacun."
                             : "2\u00a0days withheld, " + who + " each."),
                std::string::npos)
          << desc;
      EXPECT_NE(figure.find(fr ? "Jours hachurés\u00a0: masqués, " + who + "."
                               : "Hatched days: withheld, " + who + "."),
                std::string::npos)
          << "a legend says what hatching means";
    }
    EXPECT_NE(figure.find(fr ? ">29\u00a0avr.</text>" : ">29\u00a0Apr</text>"), std::string::npos);
    EXPECT_NE(figure.find(fr ? ">5\u00a0mai</text>" : ">5\u00a0May</text>"), std::string::npos);
  }
  EXPECT_EQ(render(lang(), counts_).find("<svg"), std::string::npos) << "no series, no chart";
}

TEST_P(TelemetryPageTest, IsAWellFormedDocumentWithUniqueIdsAndNoOutsideResource) {
  auto doc = parse_html(html_);
  ASSERT_EQ(doc.error, "");
  std::string lang_code = lang() == PageLanguage::fr ? "fr" : "en";
  EXPECT_TRUE(html_.starts_with("<!DOCTYPE html>\n<html lang=\"" + lang_code + "\">"));
  std::set<std::string> ids;
  for (const auto& tag : doc.tags)
    if (auto id = tag.attrs.find("id"); id != tag.attrs.end()) {
      EXPECT_TRUE(ids.insert(id->second).second) << "duplicate id " << id->second;
    }
  std::size_t links = 0;
  for (const auto& tag : doc.tags) {
    EXPECT_NE(tag.name, "script");
    EXPECT_NE(tag.name, "img");
    EXPECT_NE(tag.name, "iframe");
    EXPECT_FALSE(tag.attrs.contains("style")) << "an inline style attribute would break the CSP";
    for (const auto& [name, value] : tag.attrs)
      EXPECT_FALSE(name.starts_with("on")) << "no event handler: " << name;
    for (std::string_view aria : {"aria-labelledby", "aria-describedby"})
      if (auto ref = tag.attrs.find(std::string(aria)); ref != tag.attrs.end()) {
        EXPECT_TRUE(ids.contains(ref->second)) << ref->second;
      }
    if (auto href = tag.attrs.find("href"); href != tag.attrs.end()) {
      ++links;
      const auto& target = href->second;
      ASSERT_FALSE(target.empty());
      if (target[0] == '#') {
        EXPECT_TRUE(ids.contains(target.substr(1))) << "dangling link " << target;
      } else {
        EXPECT_TRUE(target.starts_with("/") && !target.starts_with("//")) << target;
      }
    }
  }
  EXPECT_GT(links, tel::kEvents.size());
  EXPECT_EQ(html_.find("<script"), std::string::npos);
  EXPECT_EQ(html_.find("http://"), std::string::npos);
  EXPECT_EQ(html_.find("https://"), std::string::npos);
  for (auto at = html_.find("url("); at != std::string::npos; at = html_.find("url(", at + 1))
    EXPECT_EQ(html_.substr(at, 5), "url(#") << "only references inside the page: nothing loads";
  EXPECT_EQ(html_.find("@import"), std::string::npos);
  // The skip link comes first in the body and points at main.
  auto body = html_.find("<body>");
  EXPECT_EQ(html_.find("<a ", body), html_.find("<a class=\"skip\" href=\"#main\">"));
  EXPECT_TRUE(ids.contains("main"));
  for (std::string_view required : {"<header", "<nav", "<main", "<footer", "<caption>",
                                    "<th scope=\"col\"", "<th scope=\"row\""})
    EXPECT_NE(html_.find(required), std::string::npos) << required;
}

TEST_P(TelemetryPageTest, LinksToTheOtherLanguageAndToTheJson) {
  bool fr = lang() == PageLanguage::fr;
  std::string other = fr ? "<a href=\"/telemetry\" hreflang=\"en\" lang=\"en\" rel=\"alternate\">"
                         : "<a href=\"/fr/telemetry\" hreflang=\"fr\" lang=\"fr\" "
                           "rel=\"alternate\">";
  EXPECT_NE(html_.find(other), std::string::npos);
  EXPECT_NE(html_.find(fr ? "<span aria-current=\"page\" lang=\"fr\">Français</span>"
                          : "<span aria-current=\"page\" lang=\"en\">English</span>"),
            std::string::npos);
  EXPECT_NE(html_.find("<link rel=\"alternate\" hreflang=\"fr\" href=\"/fr/telemetry\">"),
            std::string::npos);
  EXPECT_NE(html_.find("<link rel=\"alternate\" hreflang=\"en\" href=\"/telemetry\">"),
            std::string::npos);
  EXPECT_NE(html_.find("href=\"/v1/telemetry/catalog\""), std::string::npos);
  EXPECT_NE(html_.find("href=\"/v1/telemetry/stats\""), std::string::npos);
}

TEST_P(TelemetryPageTest, IsWrittenInItsLanguageOnly) {
  // Every bilingual catalog text appears in the page's language and not in the other one.
  auto other = lang() == PageLanguage::fr ? PageLanguage::en : PageLanguage::fr;
  for (const auto& event : tel::kEvents) {
    EXPECT_EQ(html_.find(html_escape(pick(other, event.when))), std::string::npos) << event.name;
    for (const auto& field : event.fields)
      EXPECT_EQ(html_.find(">" + html_escape(pick(other, field.doc)) + "<"), std::string::npos)
          << event.name << "." << field.name;
  }
  EXPECT_EQ(html_.find(html_escape(pick(other, tel::kWhyCollected))), std::string::npos);
  if (lang() == PageLanguage::fr) {
    for (std::string_view english : {"Last 24 hours", "fewer than", "How to opt out", "Field"})
      EXPECT_EQ(html_.find(english), std::string::npos) << english;
    EXPECT_NE(html_.find("5\u00a0mai\u00a02026 à 14:03\u00a0UTC"), std::string::npos);
  } else {
    for (std::string_view french : {"Dernières", "moins de", "Comment refuser", "Champ"})
      EXPECT_EQ(html_.find(french), std::string::npos) << french;
    EXPECT_NE(html_.find("5\u00a0May\u00a02026, 14:03\u00a0UTC"), std::string::npos);
  }
  EXPECT_NE(html_.find("datetime=\"2026-05-05T14:03:00.000Z\""), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(BothLanguages, TelemetryPageTest,
                         ::testing::Values(PageLanguage::en, PageLanguage::fr),
                         [](const auto& info) {
                           return info.param == PageLanguage::fr ? "fr" : "en";
                         });

TEST(TelemetryPageTypesetting, FrenchPunctuationGetsNoBreakSpaces) {
  EXPECT_EQ(typeset(PageLanguage::fr, "personne : rien ; vraiment ? oui ! « cité »"),
            "personne\u00a0: rien\u202f; vraiment\u202f? oui\u202f! «\u00a0cité\u00a0»");
  EXPECT_EQ(typeset(PageLanguage::fr, "a:b {\"x\": true} : fin"), "a:b {\"x\": true}\u00a0: fin");
  EXPECT_EQ(typeset(PageLanguage::en, "none : of ; this ?"), "none : of ; this ?");
  // Only spaces change: the text reads the same.
  for (const auto& item : tel::kNeverCollected) {
    auto french = typeset(PageLanguage::fr, item.fr);
    for (std::string_view space : {"\u00a0", "\u202f"})
      for (auto at = french.find(space); at != std::string::npos; at = french.find(space))
        french.replace(at, space.size(), " ");
    EXPECT_EQ(french, item.fr);
  }
}

TEST(TelemetryPageEscaping, CatalogTextsNeedingEscapesAreEscaped) {
  // The opt-out texts hold JSON with quotes: they reach the page escaped, never raw.
  auto counts = sample_counts();
  auto html = render(PageLanguage::en, counts);
  EXPECT_EQ(html.find("{\"telemetry_opt_out\""), std::string::npos);
  EXPECT_NE(html.find("{&quot;telemetry_opt_out&quot;: true}"), std::string::npos);
  EXPECT_NE(render(PageLanguage::fr, counts).find("l&#39;organisation"), std::string::npos);
}

TEST(TelemetryPageCsp, AllowsExactlyThePageStylesheetAndNothingElse) {
  // SHA-256 of the empty string, as browsers compute CSP hashes.
  EXPECT_EQ(csp_hash_source(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
  auto csp = telemetry_page_csp();
  EXPECT_EQ(csp, "default-src 'none'; style-src " + csp_hash_source(telemetry_page_stylesheet()) +
                     "; img-src 'none'; base-uri 'none'; form-action 'none'; "
                     "frame-ancestors 'none'");
  auto counts = sample_counts();
  for (auto language : {PageLanguage::en, PageLanguage::fr}) {
    auto html = render(language, counts);
    std::string style = "<style>" + std::string(telemetry_page_stylesheet()) + "</style>";
    EXPECT_EQ(occurrences(html, style), 1u);
    EXPECT_EQ(occurrences(html, "<style"), 1u);
  }
}

TEST(TelemetryPagePaths, AreTheSpecifiedRoutes) {
  EXPECT_EQ(telemetry_page_path(PageLanguage::en), "/telemetry");
  EXPECT_EQ(telemetry_page_path(PageLanguage::fr), "/fr/telemetry");
}

TEST(TelemetryPageWording, KOfOneAndLargeRetentionReadNaturally) {
  std::vector<RecentCounts> counts;
  for (const auto& event : tel::kEvents) counts.push_back({&event, std::nullopt, std::nullopt});
  auto en = render(PageLanguage::en, counts, nullptr, 1, 1);
  EXPECT_NE(en.find("fewer than 1 user<"), std::string::npos);
  EXPECT_NE(en.find("fewer than 1 organization<"), std::string::npos);
  EXPECT_NE(en.find(std::string("kept for 1") + std::string(kNbsp) + "day,"), std::string::npos);
  auto fr = render(PageLanguage::fr, counts, nullptr, 1, 1);
  EXPECT_NE(fr.find("moins de 1 utilisateur<"), std::string::npos);
  EXPECT_NE(fr.find(std::string("conservés 1") + std::string(kNbsp) + "jour,"), std::string::npos);
  auto long_retention = render(PageLanguage::en, counts, nullptr, 3650, 5);
  EXPECT_NE(long_retention.find(std::string("3,650") + std::string(kNbsp) + "days"),
            std::string::npos);
}

}  // namespace
}  // namespace ferr::api
