// Fuzz target for the ingestion validator (api/telemetry/envelope) and the raw-span scanners it
// measures `properties` with (api/json_spans). Besides "never crash, never throw", it checks
// properties that must hold for every input, and aborts when one does not: whatever is accepted
// is something the catalog declares, in the form the store expects.
//
// The test suite replays the seed corpus with g++ (replay_main.cpp, ctest `fuzz_envelope`). To
// fuzz for real with clang's libFuzzer: `scripts/fuzz-campaign.sh envelope SECONDS`, which builds
// `envelope_fuzz` with the `fuzz` preset and merges what it finds into tests/fuzz/corpus/envelope/
// (tests/fuzz/README.md).

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/json_body.hpp"
#include "api/json_spans.hpp"
#include "api/telemetry/envelope.hpp"
#include "core/time_format.hpp"
#include "telemetry/catalog.hpp"

namespace {

namespace json = boost::json;
namespace tel = ::ferr::telemetry;

[[noreturn]] void broken(const char* property) {
  std::fprintf(stderr, "envelope_fuzz: property broken: %s\n", property);
  std::abort();
}

void check(bool holds, const char* property) {
  if (!holds) broken(property);
}

bool is_lower_hash(std::string_view s) {
  if (s.size() != tel::kHashHexChars) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c)) ||
        std::isupper(static_cast<unsigned char>(c)))
      return false;
  return true;
}

// The raw span of a member, parsed on its own, is the member's value.
void check_spans(std::string_view body, const json::value& parsed) {
  const auto* object = parsed.if_object();
  if (object == nullptr) {
    check(!ferr::api::raw_member(body, "properties"), "a non-object has no member");
    return;
  }
  for (const auto& member : *object) {
    const std::string_view name(member.key().data(), member.key().size());
    auto raw = ferr::api::raw_member(body, name);
    check(raw.has_value(), "every member is found");
    auto alone = ferr::api::parse_json_body(*raw);
    check(alone.has_value() && *alone == member.value(), "a member's span is its value");
  }
  if (const auto* events = object->if_contains("events"); events && events->is_array()) {
    auto elements = ferr::api::raw_elements(*ferr::api::raw_member(body, "events"));
    check(elements.size() == events->get_array().size(), "every element is found");
    for (std::size_t i = 0; i < elements.size(); ++i) {
      auto alone = ferr::api::parse_json_body(elements[i]);
      check(alone.has_value() && *alone == events->get_array()[i],
            "an element's span is its value");
    }
  }
}

void check_row(const ferr::domain::telemetry::EventRow& row, std::string_view body) {
  const tel::Event* event = tel::find_event(row.event);
  check(event != nullptr && event->name == row.event, "the event is dotted and in the catalog");
  check(tel::surface_name(event->surface) == row.surface, "the event belongs to the surface");
  check(row.schema_version == 1, "the schema version is supported");
  check(row.origin == ferr::domain::telemetry::Origin::ingest && !row.key_id, "an ingest row");
  for (const auto* hash : {&row.org_hash, &row.user_hash})
    if (*hash) check(is_lower_hash(**hash), "subject hashes are lowercase hex");
  if (row.org_hash) check(tel::find_field(*event, "org_hash") != nullptr, "org_hash is declared");
  if (row.user_hash)
    check(tel::find_field(*event, "user_hash") != nullptr, "user_hash is declared");
  check(row.properties.size() <= body.size(), "stored properties are no larger than received");
  auto properties = ferr::api::parse_json_body(row.properties);
  check(properties.has_value() && properties->is_object(), "stored properties are an object");
  for (const auto& member : properties->get_object()) {
    const tel::Field* field =
        tel::find_field(*event, std::string_view(member.key().data(), member.key().size()));
    check(field != nullptr && field->placement == tel::Placement::properties,
          "every property is declared");
    const auto& v = member.value();
    switch (field->kind) {
      case tel::FieldKind::hash:
        check(v.is_string() && is_lower_hash(std::string_view(v.get_string())), "hash property");
        break;
      case tel::FieldKind::enumeration:
        check(v.is_string() && tel::allows_value(*field, std::string_view(v.get_string())),
              "enum property");
        break;
      case tel::FieldKind::integer: check(v.is_int64(), "int property"); break;
      case tel::FieldKind::string:
        check(v.is_string() && v.get_string().size() <= tel::kMaxStringBytes &&
                  field->pattern != nullptr &&
                  field->pattern->matches(std::string_view(v.get_string())),
              "string property within its size and pattern");
        break;
      case tel::FieldKind::boolean: check(v.is_bool(), "bool property"); break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto parsed = ferr::api::parse_json_body(body);
  if (!parsed) return 0;  // the body parser has a fuzz target of its own
  check_spans(body, *parsed);

  static const auto now = *ferr::core::parse_rfc3339("2026-05-05T21:00:00Z");
  const ferr::api::EnvelopeContext context{now, 90};
  auto row = ferr::api::read_envelope(*parsed, body, context);
  if (!row) {
    const auto& e = row.error();
    check(e.code == ferr::core::ErrorCode::validation_failed, "refusals are VALIDATION_FAILED");
    check(e.field.has_value() && !e.field->empty() && !e.message.empty(), "refusals name a field");
    return 0;
  }
  check_row(*row, body);
  check(row->occurred_at <= now + ferr::api::kMaxFutureSkew &&
            row->occurred_at >= now - std::chrono::days(90),
        "occurred_at lies in its window");
  return 0;
}
