// The public reads: the manifest lists exactly the catalog; the statistics count what the emitter
// wrote, withhold small groups, and include rolled-up days.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "domain/telemetry/emitter.hpp"
#include "support/api_test.hpp"
#include "telemetry/catalog.hpp"
#include "telemetry/disclosure.hpp"

namespace ferr {
namespace {

using namespace std::chrono_literals;
namespace tel = ::ferr::telemetry;

class TelemetryPublicTest : public testing::ApiTest {
 protected:
  boost::json::object stats(const std::string& query = "") {
    app_->emitter().flush();
    auto r = call("GET", "/v1/telemetry/stats" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return json(r);
  }
  // The cells of `event` as "date=count" (or "date=suppressed").
  std::vector<std::string> cells(const boost::json::object& body, const std::string& event) {
    std::vector<std::string> out;
    for (const auto& d : body.at("days").as_array()) {
      const auto& cell = d.as_object();
      if (cell.at("event") != event.c_str()) continue;
      std::string value =
          cell.at("count").is_null() ? "suppressed" : std::to_string(cell.at("count").as_int64());
      if (cell.at("count").is_null()) {
        EXPECT_EQ(cell.at("suppressed"), true);
      }
      out.push_back(std::string(cell.at("date").as_string()) + "=" + value);
    }
    return out;
  }
};

TEST_F(TelemetryPublicTest, TheManifestListsExactlyTheCatalog) {
  auto r = call("GET", "/v1/telemetry/catalog");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json");
  auto manifest = json(r);
  EXPECT_EQ(manifest["schema_version"], 1);
  EXPECT_EQ(boost::json::serialize(manifest["surfaces"]),
            R"(["ferrlabs","ferrflow","ferrvault","ferrtrack","ferrgrowth","ferrfleet"])");
  const auto& events = manifest["events"].as_array();
  ASSERT_EQ(events.size(), tel::kEvents.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& listed = events[i].as_object();
    const auto& event = tel::kEvents[i];
    EXPECT_EQ(listed.at("event"),
              event.name.data() == nullptr ? "" : std::string(event.name).c_str());
    EXPECT_EQ(listed.at("surface"), std::string(tel::surface_name(event.surface)).c_str());
    EXPECT_EQ(listed.at("subject"), std::string(tel::subject_name(event.subject)).c_str());
    EXPECT_EQ(listed.at("when_it_fires"), std::string(event.when.en).c_str());
    const auto& fields = listed.at("fields").as_array();
    ASSERT_EQ(fields.size(), event.fields.size()) << event.name;
    for (std::size_t f = 0; f < fields.size(); ++f) {
      const auto& field = fields[f].as_object();
      const auto& spec = event.fields[f];
      EXPECT_EQ(field.at("name"), std::string(spec.name).c_str());
      EXPECT_EQ(field.at("kind"), std::string(tel::kind_name(spec.kind)).c_str());
      EXPECT_EQ(field.at("doc"), std::string(spec.doc.en).c_str());
      std::vector<std::string> values;
      if (field.contains("values"))
        for (const auto& v : field.at("values").as_array()) values.emplace_back(v.as_string());
      EXPECT_EQ(values, std::vector<std::string>(spec.values.begin(), spec.values.end()))
          << event.name << "." << spec.name;
      if (spec.kind != tel::FieldKind::string) {
        EXPECT_FALSE(field.contains("pattern")) << event.name << "." << spec.name;
      } else {
        // Issue 14 item 9: each string field shows the pattern the validator enforces.
        ASSERT_TRUE(field.contains("pattern")) << event.name << "." << spec.name;
        EXPECT_EQ(field.at("pattern"), std::string(spec.pattern->source()).c_str());
        EXPECT_EQ(field.at("example"), std::string(spec.pattern->example()).c_str());
      }
      if (spec.only_when.field.empty()) {
        EXPECT_FALSE(field.contains("only_when")) << event.name << "." << spec.name;
      } else {
        EXPECT_EQ(boost::json::serialize(field.at("only_when")),
                  boost::json::serialize(
                      boost::json::object{{spec.only_when.field, spec.only_when.value}}))
            << event.name << "." << spec.name;
      }
    }
  }
  EXPECT_EQ(manifest["never_collected"].as_array().size(), tel::kNeverCollected.size());
  EXPECT_EQ(manifest["opt_out"].as_array().size(), 3u);
  auto hashing = manifest["hashing"].as_object();
  EXPECT_EQ(hashing["algorithm"], "BLAKE3 keyed");
  EXPECT_EQ(hashing["input"], "16 raw UUID bytes");
  EXPECT_EQ(hashing["output_hex_chars"], 32);
  EXPECT_EQ(hashing["rotation_days"], 90);
  EXPECT_EQ(hashing["key_id"], "8e1199f3") << "the running key's id";
  EXPECT_EQ(manifest["retention_days"], 90);
}

TEST_F(TelemetryPublicTest, StatisticsCountEmittedEventsAndWithholdSmallGroups) {
  for (const std::string who : {"a", "b", "c"}) active_user(who + "@example.com");
  auto body = stats();
  EXPECT_EQ(body["k"], 5);
  EXPECT_EQ(body["generated_at"], "2026-05-05T00:00:00.000Z");
  EXPECT_EQ(cells(body, "auth.signup"), std::vector<std::string>{"2026-05-05=suppressed"})
      << "three users are fewer than k = 5";
  for (const std::string who : {"d", "e"}) active_user(who + "@example.com");
  EXPECT_EQ(cells(stats(), "auth.signup"), std::vector<std::string>{"2026-05-05=5"});

  clock_.advance(24h);
  for (int i = 0; i < 2; ++i) ASSERT_EQ(login("a@example.com").status, 200);
  body = stats("?days=2");
  EXPECT_EQ(cells(body, "auth.login"), std::vector<std::string>{"2026-05-06=suppressed"})
      << "two logins by one user";
  EXPECT_EQ(cells(body, "auth.signup"), std::vector<std::string>{"2026-05-05=5"});
  EXPECT_TRUE(cells(stats("?days=1"), "auth.signup").empty()) << "one day: today only";
}

TEST_F(TelemetryPublicTest, TheDailySeriesHaveEveryEventAndEveryDayWithheldDaysAsNull) {
  for (const std::string who : {"a", "b", "c", "d", "e"}) active_user(who + "@example.com");
  clock_.advance(24h);
  for (int i = 0; i < 2; ++i) ASSERT_EQ(login("a@example.com").status, 200);
  auto body = stats("?days=3");
  EXPECT_EQ(body["from"], "2026-05-04");
  EXPECT_EQ(body["to"], "2026-05-06");
  const auto& series = body["series"].as_array();
  ASSERT_EQ(series.size(), tel::kEvents.size());
  std::map<std::string, std::string> by_event;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto& one = series[i].as_object();
    EXPECT_EQ(one.at("event"), std::string(tel::kEvents[i].name).c_str()) << "catalog order";
    EXPECT_EQ(one.at("counts").as_array().size(), 3u) << "one count per day";
    by_event[std::string(one.at("event").as_string())] = boost::json::serialize(one.at("counts"));
  }
  EXPECT_EQ(by_event["auth.signup"], "[0,5,0]");
  EXPECT_EQ(by_event["auth.login"], "[0,0,null]") << "withheld, never shown as 0";
  EXPECT_EQ(by_event["org.created"], "[0,0,0]");
  // The same numbers as the cells.
  EXPECT_EQ(cells(body, "auth.signup"), std::vector<std::string>{"2026-05-05=5"});
  EXPECT_EQ(cells(body, "auth.login"), std::vector<std::string>{"2026-05-06=suppressed"});
}

TEST_F(TelemetryPublicTest, RolledUpDaysStayInTheStatistics) {
  for (const std::string who : {"a", "b", "c", "d", "e"}) active_user(who + "@example.com");
  app_->emitter().flush();
  clock_.advance(24h * 100);
  auto expired = app_->purge_telemetry();
  ASSERT_TRUE(expired);
  ASSERT_EQ(expired->rows_deleted, 5u);
  EXPECT_EQ(cells(stats("?days=365"), "auth.signup"), std::vector<std::string>{"2026-05-05=5"})
      << "from telemetry_daily now";
  EXPECT_TRUE(cells(stats("?days=30"), "auth.signup").empty());
}

TEST_F(TelemetryPublicTest, AComputationIsReusedForTheCacheIntervalThenRedone) {
  start({{"FERRLABS_STATS_K", "1"}, {"FERRLABS_STATS_CACHE_S", "60"}});
  active_user("a@example.com");
  auto first = stats();
  EXPECT_EQ(cells(first, "auth.signup"), std::vector<std::string>{"2026-05-05=1"});
  EXPECT_EQ(first["generated_at"], "2026-05-05T00:00:00.000Z");

  active_user("b@example.com");
  clock_.advance(59s);
  auto reused = stats();
  EXPECT_EQ(cells(reused, "auth.signup"), std::vector<std::string>{"2026-05-05=1"})
      << "younger than FERRLABS_STATS_CACHE_S: the same computation";
  EXPECT_EQ(reused["generated_at"], first["generated_at"]) << "it says when it was counted";
  EXPECT_EQ(cells(stats("?days=2"), "auth.signup"), std::vector<std::string>{"2026-05-05=2"})
      << "another number of days is another computation";

  clock_.advance(1s);
  auto redone = stats();
  EXPECT_EQ(cells(redone, "auth.signup"), std::vector<std::string>{"2026-05-05=2"});
  EXPECT_EQ(redone["generated_at"], "2026-05-05T00:01:00.000Z");
}

TEST_F(TelemetryPublicTest, DaysMustBeOneTo365) {
  for (const std::string bad : {"0", "366", "-1", "x", "1.5", ""}) {
    auto r = call("GET", "/v1/telemetry/stats?days=" + bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(json(r)["field"], "days") << bad;
  }
  EXPECT_EQ(call("GET", "/v1/telemetry/stats?days=365").status, 200);
}

}  // namespace
}  // namespace ferr
