// The ingestion validator (telemetry.md §4): every rule with valid and invalid cases, and a sweep
// over the whole catalog so the validator cannot disagree with it.

#include "api/telemetry/envelope.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/json_body.hpp"
#include "core/time_format.hpp"
#include "telemetry/catalog.hpp"

namespace ferr::api {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;
namespace tel = ::ferr::telemetry;
using domain::telemetry::EventRow;

const core::TimePoint kNow = *core::parse_rfc3339("2026-05-05T21:00:00.000Z");
const EnvelopeContext kContext{kNow, 90};

constexpr std::string_view kHash = "0123456789abcdef0123456789abcdef";

// A valid cli.run envelope; tests change one member at a time.
json::object cli_run() {
  return json::parse(R"({"surface": "ferrflow", "event": "cli.run", "org_hash": null,
    "user_hash": null, "properties": {"command": "release", "exit_code": 0, "duration_ms": 812,
    "cli_version": "4.6.1", "os": "linux", "arch": "x86_64"}, "schema_version": 1,
    "occurred_at": "2026-05-05T20:00:00.000Z",
    "event_id": "0190f5c2-7b1a-7cde-8f00-123456789abc"})")
      .as_object();
}

json::object org_event(std::string_view surface, std::string_view event) {
  return json::object{
      {"surface", surface}, {"event", event}, {"schema_version", 1}, {"org_hash", kHash}};
}

core::Result<EventRow> read_text(std::string_view text) {
  auto parsed = parse_json_body(text);
  if (!parsed) return core::fail(parsed.error());
  return read_envelope(*parsed, text, kContext);
}

core::Result<EventRow> read(const json::object& envelope) {
  return read_text(json::serialize(envelope));
}

// The field a refused envelope names (fails the test when it was accepted).
std::string refused_field(const core::Result<EventRow>& result) {
  if (result) {
    ADD_FAILURE() << "accepted";
    return "";
  }
  EXPECT_EQ(result.error().code, core::ErrorCode::validation_failed) << result.error().message;
  EXPECT_FALSE(result.error().message.empty());
  return result.error().field.value_or("<none>");
}

TEST(TelemetryEnvelope, TheSpecExampleBecomesAnIngestRow) {
  auto row = read(cli_run());
  ASSERT_TRUE(row) << row.error().message;
  EXPECT_EQ(row->surface, "ferrflow");
  EXPECT_EQ(row->event, "cli.run");
  EXPECT_FALSE(row->org_hash);
  EXPECT_FALSE(row->user_hash);
  EXPECT_EQ(row->properties,
            R"({"command":"release","exit_code":0,"duration_ms":812,"cli_version":"4.6.1",)"
            R"("os":"linux","arch":"x86_64"})");
  EXPECT_EQ(row->schema_version, 1);
  EXPECT_EQ(row->origin, domain::telemetry::Origin::ingest);
  EXPECT_FALSE(row->key_id);
  EXPECT_EQ(row->occurred_at, kNow - 1h);
  EXPECT_EQ(row->received_at, kNow);
  ASSERT_TRUE(row->event_id);
  EXPECT_EQ(row->event_id->to_string(), "0190f5c2-7b1a-7cde-8f00-123456789abc");
}

// The stored text is written member by member rather than serialized from a document: it must
// still be the compact JSON of what was accepted, in the order it was sent.
TEST(TelemetryEnvelope, PropertiesAreStoredCompactInTheOrderReceived) {
  auto cli = read_text(R"({"surface": "ferrflow", "event": "cli.run", "schema_version": 1,
    "properties": { "os" : "lin\u0075x", "exit_code" : -3,
                    "command": "release", "duration_ms": 0 } })");
  ASSERT_TRUE(cli) << cli.error().message;
  EXPECT_EQ(cli->properties,
            R"({"os":"linux","exit_code":-3,"command":"release","duration_ms":0})");

  auto site = org_event("ferrgrowth", "growth.site.published");
  site["properties"] = json::object{{"custom_domain", true}};
  auto published = read(site);
  ASSERT_TRUE(published) << published.error().message;
  EXPECT_EQ(published->properties, R"({"custom_domain":true})");

  auto empty = read_text(
      R"({"surface": "ferrflow", "event": "cli.run", "schema_version": 1, "properties": {}})");
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_EQ(empty->properties, "{}");
}

TEST(TelemetryEnvelope, OptionalMembersHaveTheirDefaults) {
  auto row =
      read(json::object{{"surface", "ferrflow"}, {"event", "cli.run"}, {"schema_version", 1}});
  ASSERT_TRUE(row) << row.error().message;
  EXPECT_EQ(row->properties, "{}");
  EXPECT_EQ(row->occurred_at, kNow) << "absent occurred_at is the receive time";
  EXPECT_FALSE(row->event_id);
  EXPECT_FALSE(row->org_hash);
}

TEST(TelemetryEnvelope, SurfaceMustBeOneOfTheSix) {
  for (auto surface : tel::kSurfaces) {
    auto envelope = cli_run();
    envelope["surface"] = tel::surface_name(surface);
    auto row = read(envelope);
    EXPECT_EQ(surface == tel::Surface::ferrflow, row.has_value()) << tel::surface_name(surface);
  }
  for (const json::value& bad : {json::value("FerrFlow"), json::value("ferrbox"), json::value(""),
                                 json::value(nullptr), json::value(3)}) {
    auto envelope = cli_run();
    envelope["surface"] = bad;
    EXPECT_EQ(refused_field(read(envelope)), "surface") << json::serialize(bad);
  }
  auto envelope = cli_run();
  envelope.erase("surface");
  EXPECT_EQ(refused_field(read(envelope)), "surface");
}

TEST(TelemetryEnvelope, EventMustBeInTheCatalogAndBelongToTheSurface) {
  auto envelope = cli_run();
  envelope["event"] = "cli.crash";
  EXPECT_EQ(refused_field(read(envelope)), "event");
  envelope["event"] = "auth.login";  // a ferrlabs event sent as ferrflow
  EXPECT_EQ(refused_field(read(envelope)), "event");
  envelope["event"] = "CLI.RUN";
  EXPECT_EQ(refused_field(read(envelope)), "event");
  envelope.erase("event");
  EXPECT_EQ(refused_field(read(envelope)), "event");
}

TEST(TelemetryEnvelope, TheSnakeCaseSpellingIsNormalisedToTheDottedName) {
  auto envelope = org_event("ferrlabs", "org_member_added");
  envelope["properties"] = json::object{{"role", "viewer"}};
  auto row = read(envelope);
  ASSERT_TRUE(row) << row.error().message;
  EXPECT_EQ(row->event, "org.member.added");
  envelope["event"] = "org_member.added";  // half of each is neither spelling
  EXPECT_EQ(refused_field(read(envelope)), "event");
}

TEST(TelemetryEnvelope, SchemaVersionMustBeSupported) {
  for (const json::value& bad : {json::value(2), json::value(0), json::value(1.0), json::value("1"),
                                 json::value(nullptr), json::value(-1)}) {
    auto envelope = cli_run();
    envelope["schema_version"] = bad;
    EXPECT_EQ(refused_field(read(envelope)), "schema_version") << json::serialize(bad);
  }
  auto envelope = cli_run();
  envelope.erase("schema_version");
  EXPECT_EQ(refused_field(read(envelope)), "schema_version");
}

TEST(TelemetryEnvelope, HashesAreThirtyTwoHexDigitsStoredLowerCased) {
  auto envelope = org_event("ferrtrack", "track.issue.created");
  envelope["org_hash"] = "0123456789ABCDEF0123456789ABCDEF";
  auto row = read(envelope);
  ASSERT_TRUE(row) << row.error().message;
  EXPECT_EQ(row->org_hash, std::string(kHash));

  envelope["org_hash"] = nullptr;
  row = read(envelope);
  ASSERT_TRUE(row);
  EXPECT_FALSE(row->org_hash);

  for (const json::value& bad : {json::value("0123456789abcdef0123456789abcde"),
                                 json::value("0123456789abcdef0123456789abcdef0"),
                                 json::value("0123456789abcdef0123456789abcdeg"), json::value(""),
                                 json::value(12), json::value("a@example.com")}) {
    envelope["org_hash"] = bad;
    EXPECT_EQ(refused_field(read(envelope)), "org_hash") << json::serialize(bad);
  }
}

TEST(TelemetryEnvelope, AnEventCarriesOnlyTheSubjectHashesItDeclares) {
  auto envelope = cli_run();  // cli.run has no subject
  envelope["org_hash"] = kHash;
  EXPECT_EQ(refused_field(read(envelope)), "org_hash");
  envelope["org_hash"] = nullptr;
  envelope["user_hash"] = kHash;
  EXPECT_EQ(refused_field(read(envelope)), "user_hash");

  auto login = json::object{{"surface", "ferrlabs"},
                            {"event", "auth.login"},
                            {"schema_version", 1},
                            {"user_hash", kHash}};
  EXPECT_TRUE(read(login));
  login["org_hash"] = kHash;
  EXPECT_EQ(refused_field(read(login)), "org_hash");
}

TEST(TelemetryEnvelope, PropertiesAreAnAllowlist) {
  auto envelope = cli_run();
  envelope["properties"].as_object()["hostname"] = "build-01";
  EXPECT_EQ(refused_field(read(envelope)), "properties.hostname");

  envelope = cli_run();
  envelope["properties"].as_object()["org_hash"] = kHash;  // an envelope field is not a property
  EXPECT_EQ(refused_field(read(envelope)), "properties.org_hash");

  for (const json::value& bad :
       {json::value(json::array{}), json::value("{}"), json::value(nullptr), json::value(1)}) {
    envelope = cli_run();
    envelope["properties"] = bad;
    EXPECT_EQ(refused_field(read(envelope)), "properties") << json::serialize(bad);
  }
}

TEST(TelemetryEnvelope, EachPropertyHasItsDeclaredKind) {
  struct Case {
    const char* name;
    json::value value;
  };
  for (const auto& [name, value] : std::initializer_list<Case>{
           {"command", json::value("deploy")},   // not listed
           {"command", json::value("Release")},  // enum values are case-sensitive
           {"command", json::value(1)},
           {"exit_code", json::value(1.5)},
           {"exit_code", json::value(2.0)},  // an integer written as a double
           {"exit_code", json::value("0")},
           {"exit_code", json::value(nullptr)},
           {"exit_code", json::parse("9223372036854775808")},  // 2^63
           {"duration_ms", json::value(true)},
           {"cli_version", json::value(std::string(129, 'x'))},
           {"cli_version", json::value(4)},
           {"os", json::value("plan9")},
           {"arch", json::value(json::object{})},
       }) {
    auto envelope = cli_run();
    envelope["properties"].as_object()[name] = value;
    EXPECT_EQ(refused_field(read(envelope)), std::string("properties.") + name)
        << name << " = " << json::serialize(value);
  }
  auto envelope = cli_run();
  auto& properties = envelope["properties"].as_object();
  properties["exit_code"] = -9223372036854775807LL - 1;
  properties["duration_ms"] = 9223372036854775807LL;
  properties["cli_version"] = "1.0.0-" + std::string(122, 'x');  // exactly at the limit
  EXPECT_TRUE(read(envelope));
  properties["cli_version"] = "1.0.0-" + std::string(123, 'x');
  EXPECT_EQ(refused_field(read(envelope)), "properties.cli_version");

  auto site = org_event("ferrgrowth", "growth.site.published");
  site["properties"] = json::object{{"custom_domain", false}};
  EXPECT_TRUE(read(site));
  site["properties"] = json::object{{"custom_domain", "false"}};
  EXPECT_EQ(refused_field(read(site)), "properties.custom_domain");

  auto added = org_event("ferrlabs", "org.member.added");
  added["properties"] = json::object{{"actor_hash", "FEDCBA9876543210FEDCBA9876543210"}};
  auto row = read(added);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->properties, R"({"actor_hash":"fedcba9876543210fedcba9876543210"})");
  added["properties"] = json::object{{"actor_hash", "someone"}};
  EXPECT_EQ(refused_field(read(added)), "properties.actor_hash");
}

// Issue 14 item 9: any 128 bytes were stored, e-mail and IP address included. Every string field
// now has a pattern in the catalog, and the validator enforces it.
TEST(TelemetryEnvelope, StringsMustMatchTheirCatalogPattern) {
  auto error = [](json::value code) {
    json::object envelope{{"surface", "ferrflow"}, {"event", "cli.error"}, {"schema_version", 1}};
    envelope["properties"] = json::object{{"command", "release"}, {"error_code", std::move(code)}};
    return read(envelope);
  };
  auto leaked = error("failed for bob@example.com from 203.0.113.7");
  EXPECT_EQ(refused_field(leaked), "properties.error_code");
  EXPECT_EQ(leaked.error().message, "properties.error_code must match ^(FF[0-9]{4}|E[0-9]{4})$");
  EXPECT_EQ(leaked.error().message.find("bob"), std::string::npos) << "never echoes the value";
  for (const char* bad : {"FF10", "ff1001", "FF1001 ", "E1001x", "error", ""})
    EXPECT_EQ(refused_field(error(bad)), "properties.error_code") << bad;
  for (const char* good : {"FF1001", "E1001", "FF9999"}) EXPECT_TRUE(error(good)) << good;

  auto run = cli_run();
  for (const char* bad : {"latest", "v4.6.1", "4.6", "4.6.1 (linux)", "203.0.113.7"}) {
    run["properties"].as_object()["cli_version"] = bad;
    EXPECT_EQ(refused_field(read(run)), "properties.cli_version") << bad;
  }
  run["properties"].as_object()["cli_version"] = "4.7.0-rc.1+build.5";
  EXPECT_TRUE(read(run));

  auto agent = org_event("ferrfleet", "fleet.agent.run");
  for (const char* bad : {"Triage", "code review", "bob@example.com", "-triage"}) {
    agent["properties"] = json::object{{"agent_kind", "first_party"}, {"first_party_slug", bad}};
    EXPECT_EQ(refused_field(read(agent)), "properties.first_party_slug") << bad;
  }
}

// NUL, line breaks and the other control characters are refused in every string field, with a
// message of their own (no pattern admits them either).
TEST(TelemetryEnvelope, ControlCharactersAreRefusedInEveryString) {
  std::size_t string_fields = 0;
  for (const auto& event : tel::kEvents) {
    for (const auto& field : event.fields) {
      if (field.kind != tel::FieldKind::string) continue;
      ++string_fields;
      for (std::string_view control :
           {std::string_view("\0", 1), std::string_view("\n"), std::string_view("\r\n"),
            std::string_view("\t"), std::string_view("\x7f"), std::string_view("\xc2\x85")}) {
        json::object envelope{{"surface", tel::surface_name(event.surface)},
                              {"event", event.name},
                              {"schema_version", 1}};
        if (event.subject == tel::Subject::org) envelope["org_hash"] = kHash;
        json::object properties;
        if (!field.only_when.field.empty())
          properties[field.only_when.field] = field.only_when.value;
        properties[field.name] = std::string(field.pattern->example()) + std::string(control);
        envelope["properties"] = properties;
        auto result = read(envelope);
        EXPECT_EQ(refused_field(result), "properties." + std::string(field.name)) << event.name;
        if (!result) {
          EXPECT_EQ(result.error().message, "properties." + std::string(field.name) +
                                                " must not contain control characters");
        }
      }
    }
  }
  EXPECT_EQ(string_fields, 4u) << "cli.run and cli.error's cli_version, error_code, the slug";
}

TEST(TelemetryEnvelope, AConditionalFieldNeedsItsCondition) {
  auto run = org_event("ferrfleet", "fleet.agent.run");
  run["properties"] = json::object{{"agent_kind", "first_party"}, {"first_party_slug", "triage"}};
  EXPECT_TRUE(read(run));
  run["properties"] = json::object{{"agent_kind", "custom"}, {"first_party_slug", "triage"}};
  EXPECT_EQ(refused_field(read(run)), "properties.first_party_slug");
  run["properties"] = json::object{{"first_party_slug", "triage"}};
  EXPECT_EQ(refused_field(read(run)), "properties.first_party_slug");
}

TEST(TelemetryEnvelope, PropertiesAreLimitedTo4096BytesAsReceived) {
  // 32 properties would not fit in any event; pad one string value with whitespace instead,
  // which the parsed value forgets but the received text keeps.
  auto text = [](std::size_t pad) {
    return R"({"surface":"ferrflow","event":"cli.run","schema_version":1,"properties":{"cli_version":"1.0.0")" +
           std::string(pad, ' ') + "}}";
  };
  const std::size_t base = std::string_view(R"({"cli_version":"1.0.0"})").size();
  EXPECT_TRUE(read_text(text(kMaxPropertiesBytes - base)));
  EXPECT_EQ(refused_field(read_text(text(kMaxPropertiesBytes - base + 1))), "properties");

  // An escaped member name is found as well.
  const std::string escaped =
      R"({"surface":"ferrflow","event":"cli.run","schema_version":1,"propert\u0069es":{"os":"linux")" +
      std::string(kMaxPropertiesBytes, ' ') + "}}";
  EXPECT_EQ(refused_field(read_text(escaped)), "properties");
}

TEST(TelemetryEnvelope, OccurredAtIsRfc3339WithinItsWindow) {
  auto at = [](std::string_view text) {
    auto envelope = cli_run();
    envelope["occurred_at"] = text;
    return read(envelope);
  };
  auto offset = at("2026-05-05T23:00:00+02:00");
  ASSERT_TRUE(offset);
  EXPECT_EQ(offset->occurred_at, kNow - 0h);
  EXPECT_TRUE(at("2026-05-06T21:00:00.000Z")) << "exactly 24 h ahead";
  EXPECT_EQ(refused_field(at("2026-05-06T21:00:00.001Z")), "occurred_at");
  EXPECT_TRUE(at("2026-02-04T21:00:00.000Z")) << "exactly 90 days old";
  EXPECT_EQ(refused_field(at("2026-02-04T20:59:59.999Z")), "occurred_at");
  for (auto bad : {"yesterday", "2026-05-05", "2026-05-05 21:00:00Z", "2026-13-01T00:00:00Z", ""})
    EXPECT_EQ(refused_field(at(bad)), "occurred_at") << bad;
  auto envelope = cli_run();
  envelope["occurred_at"] = 1778014800000;
  EXPECT_EQ(refused_field(read(envelope)), "occurred_at");
}

TEST(TelemetryEnvelope, EventIdIsAUuid) {
  auto envelope = cli_run();
  for (const json::value& bad :
       {json::value("0190f5c2-7b1a-7cde-8f00-123456789abz"),
        json::value("0190f5c27b1a7cde8f00123456789abc0"), json::value(7), json::value(nullptr)}) {
    envelope["event_id"] = bad;
    EXPECT_EQ(refused_field(read(envelope)), "event_id") << json::serialize(bad);
  }
}

TEST(TelemetryEnvelope, AnyOtherMemberIsRejected) {
  auto envelope = cli_run();
  envelope["ip"] = "203.0.113.7";
  EXPECT_EQ(refused_field(read(envelope)), "ip");
  EXPECT_EQ(refused_field(read_text("[1]")), "envelope");
  EXPECT_EQ(refused_field(read_text(R"("cli.run")")), "envelope");
}

// Every event of the catalog, every field: a value of the declared kind is accepted and one of
// another kind refused; every listed enum value is accepted. The validator reads nothing but the
// catalog, so this holds for an event added tomorrow too.
TEST(TelemetryEnvelope, TheValidatorAcceptsExactlyWhatTheCatalogDeclares) {
  for (const auto& event : tel::kEvents) {
    json::object envelope{{"surface", tel::surface_name(event.surface)},
                          {"event", event.name},
                          {"schema_version", 1}};
    json::object properties;
    for (const auto& field : event.fields) {
      if (field.placement == tel::Placement::envelope) {
        envelope[field.name] = kHash;
        continue;
      }
      json::value good;
      json::value wrong;
      switch (field.kind) {
        case tel::FieldKind::hash: good = kHash, wrong = 1; break;
        case tel::FieldKind::enumeration: good = field.values.front(), wrong = "not-listed"; break;
        case tel::FieldKind::integer: good = 42, wrong = "42"; break;
        case tel::FieldKind::string: good = field.pattern->example(), wrong = false; break;
        case tel::FieldKind::boolean: good = true, wrong = 0; break;
      }
      properties[field.name] = good;
      auto probe = envelope;
      auto probe_properties = properties;
      probe_properties[field.name] = wrong;
      if (!field.only_when.field.empty())
        probe_properties[field.only_when.field] = field.only_when.value;
      probe["properties"] = probe_properties;
      EXPECT_EQ(refused_field(read(probe)), "properties." + std::string(field.name)) << event.name;
      for (auto value : field.values) {
        probe_properties[field.name] = value;
        probe["properties"] = probe_properties;
        EXPECT_TRUE(read(probe)) << event.name << "." << field.name << " = " << value;
      }
    }
    for (const auto& field : event.fields)
      if (!field.only_when.field.empty()) properties[field.only_when.field] = field.only_when.value;
    envelope["properties"] = properties;
    auto row = read(envelope);
    ASSERT_TRUE(row) << event.name << ": " << row.error().message;
    EXPECT_EQ(row->event, event.name);
  }
}

}  // namespace
}  // namespace ferr::api
