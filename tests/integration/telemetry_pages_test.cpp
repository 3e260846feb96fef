// The /telemetry pages served by the real server: HTML with a strict Content-Security-Policy and
// the security headers, live counts that follow the events written and the k rule, and the same
// events as the JSON manifest.

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>

#include "api/telemetry/page.hpp"
#include "domain/telemetry/emitter.hpp"
#include "support/api_test.hpp"
#include "telemetry/catalog.hpp"

namespace ferr {
namespace {

using namespace std::chrono_literals;
namespace tel = ::ferr::telemetry;

class TelemetryPagesTest : public testing::ApiTest {
 protected:
  // The page at `path` once the emitter has written everything queued.
  std::string page(const std::string& path = "/telemetry") {
    app_->emitter().flush();
    auto r = call("GET", path);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body;
  }
  // A live counter as shown: the number, "suppressed: <text>" or "" when the row is missing.
  static std::string counter(const std::string& html, const std::string& event,
                             const std::string& window) {
    auto row_start = html.find("<tr id=\"count-" + event + "\"");
    if (row_start == std::string::npos) return "";
    auto row = html.substr(row_start, html.find("</tr>", row_start) - row_start);
    std::smatch m;
    std::regex cell("data-window=\"" + window + "\"[^>]*>(.*?)</td>");
    if (!std::regex_search(row, m, cell)) return "";
    std::string shown = m[1].str();
    if (m[0].str().find("data-suppressed=\"true\"") != std::string::npos) {
      std::smatch text;
      std::regex_search(shown, text, std::regex(">([^<]*)<"));
      return "suppressed: " + text[1].str();
    }
    std::smatch count;
    if (!std::regex_search(m[0].first, m[0].second, count, std::regex("data-count=\"([0-9]+)\"")))
      return "?";
    EXPECT_EQ(shown, count[1].str()) << "the number shown is the number counted";
    return count[1].str();
  }
};

TEST_F(TelemetryPagesTest, BothPagesAreHtmlWithAStrictContentSecurityPolicy) {
  for (const auto& [path, lang] : {std::pair{"/telemetry", "en"}, {"/fr/telemetry", "fr"}}) {
    auto r = call("GET", path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8") << path;
    EXPECT_EQ(r.header("content-language"), lang);
    EXPECT_EQ(r.header("cache-control"), "no-cache");
    EXPECT_NE(r.body.find(std::string("<html lang=\"") + lang + "\">"), std::string::npos);
    // The policy allows the page's own stylesheet by its hash, and nothing else at all.
    auto csp = r.header("content-security-policy");
    EXPECT_EQ(csp, api::telemetry_page_csp());
    EXPECT_TRUE(csp.starts_with("default-src 'none'; style-src 'sha256-")) << csp;
    for (std::string_view directive :
         {"img-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"}) {
      EXPECT_NE(csp.find(directive), std::string::npos) << directive;
    }
    auto style_start = r.body.find("<style>") + std::string_view("<style>").size();
    auto style = r.body.substr(style_start, r.body.find("</style>") - style_start);
    EXPECT_NE(csp.find(api::csp_hash_source(style)), std::string::npos)
        << "the hash is the hash of the stylesheet served";
    // The security headers every response carries (api.md, Conventions).
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.header("referrer-policy"), "strict-origin-when-cross-origin");
    EXPECT_EQ(r.header("x-frame-options"), "DENY");
    EXPECT_EQ(r.header("cross-origin-opener-policy"), "same-origin");
    EXPECT_EQ(r.header("cross-origin-resource-policy"), "same-origin");
    EXPECT_FALSE(r.header("x-request-id").empty());
    EXPECT_EQ(r.body.find("<script"), std::string::npos);
  }
  EXPECT_EQ(call("POST", "/telemetry").status, 405);
  EXPECT_EQ(call("GET", "/en/telemetry").status, 404);
}

TEST_F(TelemetryPagesTest, CountsStayWithheldBelowKThenShow) {
  auto html = page();
  EXPECT_EQ(counter(html, "auth.signup", "24h"), "0") << "zero is always shown";
  for (const std::string who : {"a", "b", "c"}) active_user(who + "@example.com");
  html = page();
  EXPECT_EQ(counter(html, "auth.signup", "24h"), "suppressed: fewer than 5 users")
      << "three users are fewer than k = 5";
  EXPECT_EQ(counter(html, "auth.signup", "7d"), "suppressed: fewer than 5 users");
  EXPECT_EQ(counter(page("/fr/telemetry"), "auth.signup", "24h"),
            "suppressed: moins de 5 utilisateurs");
  for (const std::string who : {"d", "e"}) active_user(who + "@example.com");
  html = page();
  EXPECT_EQ(counter(html, "auth.signup", "24h"), "5");
  EXPECT_EQ(counter(html, "auth.signup", "7d"), "5");
  EXPECT_EQ(counter(page("/fr/telemetry"), "auth.signup", "7d"), "5");
  // Six logins by one user: counted, but one person cannot be singled out.
  for (int i = 0; i < 6; ++i) ASSERT_EQ(login("a@example.com").status, 200);
  EXPECT_EQ(counter(page(), "auth.login", "24h"), "suppressed: fewer than 5 users");
}

TEST_F(TelemetryPagesTest, EachEventHasADailyChartOverTheRetentionWindowWithTheKRule) {
  // How many bars the path of that class draws in the event's chart (one "M…z" subpath each).
  auto rects = [](const std::string& html, const std::string& event, const std::string& group) {
    auto svg_start = html.find("<svg class=\"chart\" role=\"img\" id=\"chart-" + event + "\"");
    EXPECT_NE(svg_start, std::string::npos) << event;
    if (svg_start == std::string::npos) return std::size_t{0};
    auto svg = html.substr(svg_start, html.find("</svg>", svg_start) - svg_start);
    EXPECT_NE(svg.find("data-days=\"90\""), std::string::npos) << "the retention window";
    auto at = svg.find("<path class=\"" + group + "\"");
    if (at == std::string::npos) return std::size_t{0};
    auto path = svg.substr(at, svg.find("/>", at) - at);
    return static_cast<std::size_t>(std::count(path.begin(), path.end(), 'z'));
  };
  for (const std::string who : {"a", "b", "c"}) active_user(who + "@example.com");
  for (const auto* path : {"/telemetry", "/fr/telemetry"}) {
    auto html = page(path);
    for (const auto& event : tel::kEvents)
      EXPECT_NE(html.find("id=\"chart-" + std::string(event.name) + "\""), std::string::npos)
          << path << " " << event.name;
    EXPECT_EQ(rects(html, "auth.signup", "bars"), 0u) << "three users are fewer than k = 5";
    EXPECT_EQ(rects(html, "auth.signup", "withheld"), 1u) << "today is drawn withheld, not 0";
  }
  for (const std::string who : {"d", "e"}) active_user(who + "@example.com");
  auto html = page();
  EXPECT_EQ(rects(html, "auth.signup", "bars"), 1u);
  EXPECT_EQ(rects(html, "auth.signup", "withheld"), 0u);
  EXPECT_NE(html.find("Daily counts of auth.signup from 5\u00a0February\u00a02026 to "
                      "5\u00a0May\u00a02026: 5 in all, at most 5 on one day "
                      "(5\u00a0May\u00a02026)."),
            std::string::npos);
  EXPECT_EQ(rects(html, "org.created", "bars"), 0u);
}

TEST_F(TelemetryPagesTest, LiveCountsAreSharedForTheCacheIntervalInBothLanguages) {
  start({{"FERRLABS_STATS_K", "1"}, {"FERRLABS_STATS_CACHE_S", "10"}});
  active_user("a@example.com");
  auto first = page();
  EXPECT_EQ(counter(first, "auth.signup", "24h"), "1");
  EXPECT_NE(first.find("datetime=\"2026-05-05T00:00:00.000Z\""), std::string::npos);
  active_user("b@example.com");
  clock_.advance(9s);
  auto french = page("/fr/telemetry");
  EXPECT_EQ(counter(french, "auth.signup", "24h"), "1") << "the English page's computation";
  EXPECT_NE(french.find("datetime=\"2026-05-05T00:00:00.000Z\""), std::string::npos)
      << "the time shown is when the counts were computed";
  clock_.advance(1s);
  auto later = page();
  EXPECT_EQ(counter(later, "auth.signup", "24h"), "2");
  EXPECT_NE(later.find("datetime=\"2026-05-05T00:00:10.000Z\""), std::string::npos);
}

TEST_F(TelemetryPagesTest, CountsCoverTheLast24HoursAndTheLast7Days) {
  start({{"FERRLABS_STATS_K", "1"}});
  active_user("a@example.com");
  active_user("b@example.com");
  ASSERT_EQ(login("a@example.com").status, 200);
  auto html = page();
  EXPECT_EQ(counter(html, "auth.signup", "24h"), "2");
  EXPECT_EQ(counter(html, "auth.signup", "7d"), "2");
  EXPECT_EQ(counter(html, "auth.login", "24h"), "1");
  EXPECT_EQ(counter(html, "org.created", "24h"), "0");
  EXPECT_NE(html.find("k = 1"), std::string::npos);

  clock_.advance(25h);
  ASSERT_EQ(login("b@example.com").status, 200);
  html = page();
  EXPECT_EQ(counter(html, "auth.signup", "24h"), "0") << "a day later";
  EXPECT_EQ(counter(html, "auth.signup", "7d"), "2");
  EXPECT_EQ(counter(html, "auth.login", "24h"), "1");
  EXPECT_EQ(counter(html, "auth.login", "7d"), "2");

  clock_.advance(24h * 6);
  html = page("/fr/telemetry");
  EXPECT_EQ(counter(html, "auth.signup", "7d"), "0") << "a week later";
  EXPECT_EQ(counter(html, "auth.login", "7d"), "1");
  EXPECT_NE(html.find("datetime=\"2026-05-12T01:00:00.000Z\""), std::string::npos)
      << "the counts are dated by the server's clock";
}

TEST_F(TelemetryPagesTest, ThePagesAndTheManifestListTheSameEvents) {
  auto manifest_reply = call("GET", "/v1/telemetry/catalog");
  ASSERT_EQ(manifest_reply.status, 200);
  auto manifest = json(manifest_reply);
  const auto& events = manifest["events"].as_array();
  ASSERT_EQ(events.size(), tel::kEvents.size());
  for (const std::string path : {"/telemetry", "/fr/telemetry"}) {
    auto html = page(path);
    std::size_t patterns_shown = 0;
    std::size_t listed = 0;
    for (auto at = html.find("<article class=\"event\""); at != std::string::npos;
         at = html.find("<article class=\"event\"", at + 1))
      ++listed;
    EXPECT_EQ(listed, events.size()) << path;
    std::size_t previous = 0;
    for (const auto& e : events) {
      const auto& event = e.as_object();
      std::string name(event.at("event").as_string());
      auto at = html.find("<article class=\"event\" id=\"event-" + name + "\"");
      ASSERT_NE(at, std::string::npos) << path << " " << name;
      EXPECT_GT(at, previous) << path << ": " << name << " in the manifest's order";
      previous = at;
      auto card = html.substr(at, html.find("</article>", at) - at);
      EXPECT_NE(html.find("<tr id=\"count-" + name + "\""), std::string::npos) << name;
      for (const auto& f : event.at("fields").as_array()) {
        const auto& field = f.as_object();
        std::string field_name(field.at("name").as_string());
        auto row_at = card.find("<tr id=\"field-" + name + "." + field_name + "\"");
        ASSERT_NE(row_at, std::string::npos) << path << " " << name << "." << field_name;
        auto row = card.substr(row_at, card.find("</tr>", row_at) - row_at);
        EXPECT_NE(row.find("<code>" + std::string(field.at("kind").as_string()) + "</code>"),
                  std::string::npos)
            << name << "." << field_name;
        if (field.contains("pattern")) {
          ++patterns_shown;
          EXPECT_NE(row.find("<code class=\"pattern\">" +
                             std::string(field.at("pattern").as_string()) + "</code>"),
                    std::string::npos)
              << path << " " << name << "." << field_name << ": the manifest's pattern";
          EXPECT_NE(row.find("<code>" + std::string(field.at("example").as_string()) + "</code>"),
                    std::string::npos)
              << path << " " << name << "." << field_name;
        }
        if (!field.contains("values")) continue;
        for (const auto& v : field.at("values").as_array()) {
          EXPECT_NE(row.find("<li><code>" + std::string(v.as_string()) + "</code></li>"),
                    std::string::npos)
              << name << "." << field_name << " = " << v;
        }
      }
    }
    EXPECT_EQ(patterns_shown, 4u) << path << ": every string field, with its pattern";
    EXPECT_NE(
        html.find("<code>" + std::string(manifest["hashing"].at("key_id").as_string()) + "</code>"),
        std::string::npos)
        << "the running key's id, as in the manifest";
    EXPECT_NE(
        html.find("<strong>" + std::to_string(manifest["retention_days"].as_int64()) + "</strong>"),
        std::string::npos);
  }
}

TEST_F(TelemetryPagesTest, HeadAnswersLikeGetWithoutABody) {
  testing::Connection connection(port_);
  ASSERT_TRUE(connection.send(testing::build_request("HEAD", "/fr/telemetry")));
  auto reply = connection.read_reply(std::chrono::seconds(10), true);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->header("content-type"), "text/html; charset=utf-8");
  EXPECT_TRUE(reply->body.empty());
}

}  // namespace
}  // namespace ferr
