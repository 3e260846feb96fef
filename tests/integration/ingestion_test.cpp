// Public ingestion through the real server (telemetry.md §4): answers, stored rows, duplicates,
// partial batches, hostile bodies, body limits, the per-client rate limit, store failures, and
// counters.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/api_test.hpp"
#include "support/faulty_store.hpp"
#include "support/stored_events.hpp"

namespace ferr {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;
using testing::FaultyStore;
using testing::stored_events;

constexpr const char* kEventId = "0190f5c2-7b1a-7cde-8f00-123456789abc";

json::object cli_run(int exit_code = 0) {
  return json::object{{"surface", "ferrflow"},
                      {"event", "cli.run"},
                      {"schema_version", 1},
                      {"properties", json::object{{"command", "release"},
                                                  {"exit_code", exit_code},
                                                  {"duration_ms", 812},
                                                  {"cli_version", "4.6.1"},
                                                  {"os", "linux"},
                                                  {"arch", "x86_64"}}}};
}

json::object issue_created(const std::string& org_hash) {
  return json::object{{"surface", "ferrtrack"},
                      {"event", "track.issue.created"},
                      {"schema_version", 1},
                      {"org_hash", org_hash},
                      {"properties", json::object{{"source", "git_link"}}},
                      {"occurred_at", "2026-05-04T12:30:00.000Z"}};
}

class IngestionTest : public testing::ApiTest {
 protected:
  testing::HttpReply ingest(const json::object& envelope, const std::string& headers = "") {
    return post("/v1/telemetry", envelope, headers);
  }
  testing::HttpReply batch(const json::array& events) {
    return post("/v1/telemetry/batch", json::object{{"events", events}});
  }
  std::uint64_t outcome(const std::string& name) {
    auto text = call("GET", "/metrics").body;
    auto line = "telemetry_events_total{outcome=\"" + name + "\"} ";
    auto at = text.find(line);
    return at == std::string::npos ? 0 : std::stoull(text.substr(at + line.size()));
  }
  void expect_validation(const testing::HttpReply& r, const std::string& field) {
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(code_of(r), "VALIDATION_FAILED") << r.body;
    EXPECT_EQ(json(r)["field"], field.c_str()) << r.body;
  }
};

TEST_F(IngestionTest, AnEnvelopeIsStoredBeforeTheAnswer) {
  auto envelope = cli_run();
  envelope["event_id"] = kEventId;
  envelope["occurred_at"] = "2026-05-04T23:00:00+02:00";
  auto r = ingest(envelope);
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.body, R"({"accepted":1,"duplicates":0})");

  // No flush, no wait: the row is durable once the answer is sent.
  auto rows = stored_events(*app_, "cli.run");
  ASSERT_EQ(rows.size(), 1u);
  const auto& row = rows[0];
  EXPECT_EQ(row.surface, "ferrflow");
  EXPECT_EQ(row.origin, "ingest");
  EXPECT_EQ(row.event_id, kEventId);
  EXPECT_FALSE(row.key_id) << "only server rows carry a key id";
  EXPECT_FALSE(row.org_hash);
  EXPECT_FALSE(row.user_hash);
  EXPECT_EQ(row.schema_version, 1);
  EXPECT_TRUE(testing::properties_are(
      row, R"({"command":"release","exit_code":0,"duration_ms":812,"cli_version":"4.6.1",)"
           R"("os":"linux","arch":"x86_64"})"));
  EXPECT_EQ(row.occurred_at, 1777928400000) << "2026-05-04T21:00:00Z";
  EXPECT_EQ(row.received_at, 1777939200000) << "the injected clock: 2026-05-05T00:00:00Z";
  EXPECT_EQ(outcome("written"), 1u);
}

TEST_F(IngestionTest, HashesAreLowerCasedAndTheSnakeCaseNameNormalised) {
  auto envelope = json::object{{"surface", "ferrlabs"},
                               {"event", "org_member_added"},
                               {"schema_version", 1},
                               {"org_hash", "ABCDEF0123456789ABCDEF0123456789"},
                               {"properties", json::object{{"role", "billing"}}}};
  ASSERT_EQ(ingest(envelope).status, 202);
  auto rows = stored_events(*app_, "org.member.added");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].org_hash, "abcdef0123456789abcdef0123456789");
  EXPECT_EQ(rows[0].origin, "ingest");
}

TEST_F(IngestionTest, ASecondEnvelopeWithAStoredEventIdIsADuplicate) {
  auto envelope = cli_run();
  envelope["event_id"] = kEventId;
  ASSERT_EQ(ingest(envelope).body, R"({"accepted":1,"duplicates":0})");
  auto again = ingest(envelope);
  EXPECT_EQ(again.status, 202);
  EXPECT_EQ(again.body, R"({"accepted":0,"duplicates":1})");
  envelope["properties"].as_object()["exit_code"] = 1;  // a retry is judged by its id alone
  EXPECT_EQ(ingest(envelope).body, R"({"accepted":0,"duplicates":1})");
  // Without an id nothing is a duplicate.
  EXPECT_EQ(ingest(cli_run()).body, R"({"accepted":1,"duplicates":0})");
  EXPECT_EQ(ingest(cli_run()).body, R"({"accepted":1,"duplicates":0})");
  EXPECT_EQ(stored_events(*app_, "cli.run").size(), 3u);
  EXPECT_EQ(outcome("duplicate"), 2u);
  EXPECT_EQ(outcome("written"), 3u);
}

TEST_F(IngestionTest, InvalidEnvelopesAreRefusedAndNotStored) {
  auto bad_surface = cli_run();
  bad_surface["surface"] = "ferrvault";
  expect_validation(ingest(bad_surface), "event");
  auto unknown = cli_run();
  unknown["properties"].as_object()["path"] = "/home/me/src";
  expect_validation(ingest(unknown), "properties.path");
  auto extra = cli_run();
  extra["ip"] = "198.51.100.4";
  expect_validation(ingest(extra), "ip");
  auto future = cli_run();
  future["occurred_at"] = "2026-05-06T00:00:00.001Z";
  expect_validation(ingest(future), "occurred_at");
  expect_validation(call("POST", "/v1/telemetry", "[]"), "envelope");
  EXPECT_TRUE(stored_events(*app_).empty());
  EXPECT_EQ(outcome("rejected_invalid"), 5u);
}

// Issue 14 item 9: free text in a string field was stored verbatim. It is refused, alone or in a
// batch, and nothing of it reaches the table.
TEST_F(IngestionTest, FreeTextInAStringFieldIsRefusedAndNotStored) {
  auto cli_error = [](const char* code) {
    return json::object{{"surface", "ferrflow"},
                        {"event", "cli.error"},
                        {"schema_version", 1},
                        {"properties", json::object{{"command", "release"}, {"error_code", code}}}};
  };
  auto leaked = ingest(cli_error("failed for bob@example.com from 203.0.113.7"));
  expect_validation(leaked, "properties.error_code");
  EXPECT_EQ(leaked.body.find("bob@"), std::string::npos) << "the answer never echoes it";

  auto with_nul = cli_run();
  with_nul["properties"].as_object()["cli_version"] = std::string("4.6.1\0", 6);
  expect_validation(ingest(with_nul), "properties.cli_version");

  auto r = batch(json::array{cli_error("FF1001"), cli_error("bob@example.com"),
                             cli_error("E1001\r\nX-Injected: 1")});
  ASSERT_EQ(r.status, 200) << r.body;
  auto answer = json(r);
  EXPECT_EQ(answer["accepted"], 1);
  ASSERT_EQ(answer["rejected"].as_array().size(), 2u) << r.body;
  for (const auto& rejected : answer["rejected"].as_array())
    EXPECT_EQ(rejected.as_object().at("field"), "properties.error_code");

  auto rows = stored_events(*app_);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(testing::properties_are(rows[0], R"({"command":"release","error_code":"FF1001"})"));
  EXPECT_EQ(outcome("rejected_invalid"), 4u);
}

TEST_F(IngestionTest, HostileBodiesGetAClientErrorNeverAServerError) {
  const std::vector<std::string> bodies = {
      "",
      "{",
      "{\"surface\": \"ferrflow\",}",
      "{\"surface\": \"ferr\xff\"}",
      std::string(40, '[') + std::string(40, ']'),
      "{\"surface\":\"ferrflow\",\"surface\":\"ferrflow\",\"event\":\"cli.run\",\"schema_version\":"
      "1}",
      R"({"surface":"ferrflow","event":"cli.run","schema_version":1e999})",
      R"({"surface":"ferrflow","event":"cli.run","schema_version":100000000000000000000000})",
      R"({"surface":"ferrflow","event":"cli.run","schema_version":1,"properties":{"exit_code":-1e400}})",
      "{\"surface\":\"ferrflow\\u0000\"}",
      "null",
      "NaN",
  };
  for (const auto& body : bodies) {
    auto r = call("POST", "/v1/telemetry", body.empty() ? " " : body);
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
    EXPECT_TRUE(code_of(r) == "BAD_REQUEST" || code_of(r) == "VALIDATION_FAILED") << r.body;
  }
  EXPECT_TRUE(stored_events(*app_).empty());
  EXPECT_EQ(call("GET", "/health").status, 200);
}

TEST_F(IngestionTest, BodiesNeedJsonAndFitTheirLimits) {
  auto plain = testing::request(port_, "POST", "/v1/telemetry", "Content-Type: text/plain\r\n",
                                json::serialize(cli_run()));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 415);

  // A single envelope may be 64 KiB: padding with whitespace keeps it valid JSON.
  std::string body = json::serialize(cli_run());
  body.pop_back();
  auto padded = [&](std::size_t size) {
    return body + std::string(size - body.size() - 1, ' ') + "}";
  };
  EXPECT_EQ(call("POST", "/v1/telemetry", padded(64 * 1024)).status, 202);
  EXPECT_EQ(call("POST", "/v1/telemetry", padded(64 * 1024 + 1)).status, 413);

  std::string events = json::serialize(json::object{{"events", json::array{cli_run()}}});
  events.pop_back();
  auto padded_batch = [&](std::size_t size) {
    return events + std::string(size - events.size() - 1, ' ') + "}";
  };
  EXPECT_EQ(call("POST", "/v1/telemetry/batch", padded_batch(1024 * 1024)).status, 200);
  // Refused from its Content-Length, before a byte of it is read: send the head alone.
  testing::Connection c(port_);
  ASSERT_TRUE(
      c.send("POST /v1/telemetry/batch HTTP/1.1\r\nHost: t\r\n"
             "Content-Type: application/json\r\nContent-Length: 1048577\r\n\r\n"));
  auto too_large = c.read_reply();
  ASSERT_TRUE(too_large);
  EXPECT_EQ(too_large->status, 413);
  EXPECT_EQ(code_of(*too_large), "PAYLOAD_TOO_LARGE");
}

TEST_F(IngestionTest, ABatchStoresItsValidEnvelopesAndReportsTheRest) {
  auto stored = cli_run();
  stored["event_id"] = kEventId;
  ASSERT_EQ(ingest(stored).status, 202);

  auto twin = cli_run(3);
  twin["event_id"] = "0190f5c2-7b1a-7cde-8f00-000000000001";
  auto bad_role = json::object{{"surface", "ferrlabs"},
                               {"event", "org.member.added"},
                               {"schema_version", 1},
                               {"properties", json::object{{"role", "superuser"}}}};
  json::array events{cli_run(1),
                     bad_role,
                     stored,  // already stored: a duplicate
                     issue_created("00112233445566778899aabbccddeeff"),
                     "not an envelope",
                     twin,
                     twin};  // the same id twice in one batch: stored once
  auto r = batch(events);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json(r);
  EXPECT_EQ(body["accepted"], 3);
  EXPECT_EQ(body["duplicates"], 2);
  EXPECT_EQ(
      json::serialize(body["rejected"]),
      R"([{"index":1,"code":"VALIDATION_FAILED","field":"properties.role",)"
      R"("error":"properties.role must be one of owner, admin, member, viewer, billing, auditor"},)"
      R"({"index":4,"code":"VALIDATION_FAILED","field":"envelope",)"
      R"("error":"an envelope must be a JSON object"}])");
  EXPECT_EQ(stored_events(*app_, "cli.run").size(), 3u);
  EXPECT_EQ(stored_events(*app_, "track.issue.created").size(), 1u);
  EXPECT_TRUE(stored_events(*app_, "org.member.added").empty());
  EXPECT_EQ(outcome("rejected_invalid"), 2u);
  EXPECT_EQ(outcome("duplicate"), 2u);
  EXPECT_EQ(outcome("written"), 4u);

  // Everything rejected is still a 200 that says so.
  auto none = batch(json::array{bad_role});
  ASSERT_EQ(none.status, 200);
  EXPECT_EQ(json(none)["accepted"], 0);
  EXPECT_EQ(json(none)["rejected"].as_array().size(), 1u);
}

TEST_F(IngestionTest, ABatchHoldsOneTo500Envelopes) {
  json::array full;
  for (int i = 0; i < 500; ++i) full.push_back(cli_run(i));
  auto r = batch(full);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["accepted"], 500);
  EXPECT_EQ(stored_events(*app_, "cli.run").size(), 500u);

  full.push_back(cli_run());
  expect_validation(batch(full), "events");
  expect_validation(batch(json::array{}), "events");
  expect_validation(post("/v1/telemetry/batch", json::object{{"events", cli_run()}}), "events");
  expect_validation(post("/v1/telemetry/batch", json::object{}), "events");
  expect_validation(
      post("/v1/telemetry/batch", json::object{{"events", json::array{cli_run()}}, {"extra", 1}}),
      "extra");
  EXPECT_EQ(stored_events(*app_, "cli.run").size(), 500u);
}

TEST_F(IngestionTest, EachClientHasItsOwnTokenBucket) {
  start({{"FERRLABS_INGEST_RATE", "1"}});  // 1 request/s, bursts of 4
  for (int i = 0; i < 4; ++i) ASSERT_EQ(ingest(cli_run()).status, 202) << i;
  auto limited = ingest(cli_run());
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(code_of(limited), "RATE_LIMIT_EXCEEDED");
  EXPECT_EQ(limited.header("retry-after"), "1");
  EXPECT_EQ(batch(json::array{cli_run()}).status, 429) << "both routes share the bucket";
  EXPECT_EQ(outcome("rate_limited"), 2u);
  EXPECT_EQ(stored_events(*app_, "cli.run").size(), 4u);

  clock_.advance(1s);
  EXPECT_EQ(batch(json::array{cli_run(), cli_run()}).status, 200) << "a batch takes one token";
  EXPECT_EQ(ingest(cli_run()).status, 429);
  // Other routes are not limited by it.
  EXPECT_EQ(call("GET", "/v1/telemetry/catalog").status, 200);
}

TEST_F(IngestionTest, ZeroDisablesTheRateLimit) {
  start({{"FERRLABS_INGEST_RATE", "0"}});
  for (int i = 0; i < 30; ++i) ASSERT_EQ(ingest(cli_run()).status, 202) << i;
}

TEST_F(IngestionTest, NoAddressReachesTheRows) {
  auto envelope = issue_created("00112233445566778899aabbccddeeff");
  ASSERT_EQ(ingest(envelope, "X-Forwarded-For: 203.0.113.9\r\n").status, 202);
  auto rows = stored_events(*app_);
  // Without a stored row the loop below would check nothing.
  ASSERT_EQ(rows.size(), 1u);
  for (const auto& row : rows) {
    for (const auto& text : {row.id, row.surface, row.event, row.properties, row.origin,
                             row.org_hash.value_or(""), row.user_hash.value_or("")}) {
      EXPECT_EQ(text.find("127.0.0.1"), std::string::npos);
      EXPECT_EQ(text.find("203.0.113.9"), std::string::npos);
    }
  }
}

TEST_F(IngestionTest, CorsPreflightIsAnsweredForConfiguredOrigins) {
  start({{"CORS_ALLOWED_ORIGINS", "https://flow.example.com"}});
  auto preflight =
      testing::request(port_, "OPTIONS", "/v1/telemetry/batch",
                       "Origin: https://flow.example.com\r\nAccess-Control-Request-Method: POST\r\n"
                       "Access-Control-Request-Headers: content-type\r\n");
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_EQ(preflight->header("access-control-allow-origin"), "https://flow.example.com");
  auto r = ingest(cli_run(), "Origin: https://flow.example.com\r\n");
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.header("access-control-allow-origin"), "https://flow.example.com");
}

TEST_F(IngestionTest, IngestedEventsAppearInTheStatistics) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(ingest(cli_run()).status, 202);
  auto stats = json(call("GET", "/v1/telemetry/stats?days=1"));
  std::int64_t runs = -1;
  for (const auto& cell : stats["days"].as_array())
    if (cell.at("event") == "cli.run") runs = cell.at("count").as_int64();
  EXPECT_EQ(runs, 3) << "cli.run has no subject: never suppressed";
}

class FailingIngestionTest : public IngestionTest {
 protected:
  void SetUp() override {
    app::Tuning tuning;
    tuning.wrap_telemetry_store = [](domain::telemetry::TelemetryStore& real) {
      return std::unique_ptr<domain::telemetry::TelemetryStore>(
          std::make_unique<FaultyStore>(real, FaultyStore::Mode::fail));
    };
    start({}, tuning);
  }
};

TEST_F(FailingIngestionTest, AStoreFailureIsA503ToRetry) {
  auto r = ingest(cli_run());
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(code_of(r), "SERVICE_UNAVAILABLE");
  EXPECT_EQ(r.header("retry-after"), "1");
  EXPECT_EQ(r.body.find("disk full"), std::string::npos) << "the cause is for the log only";
  auto b = batch(json::array{cli_run(), cli_run()});
  EXPECT_EQ(b.status, 503);
  EXPECT_EQ(outcome("failed"), 3u);
  EXPECT_EQ(call("GET", "/health").status, 200);
}

}  // namespace
}  // namespace ferr
