#include "api/telemetry/envelope.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <utility>

#include "api/json_spans.hpp"
#include "api/object_reader.hpp"
#include "core/json_escape.hpp"
#include "core/time_format.hpp"
#include "core/try.hpp"
#include "core/uuid.hpp"
#include "telemetry/catalog.hpp"

namespace ferr::api {

namespace {

namespace json = boost::json;
namespace tel = ::ferr::telemetry;
using core::Error;
using core::fail;
using core::Result;

Error invalid(std::string field, std::string message) {
  return Error::validation(std::move(field), std::move(message));
}

// A hash arrives as 32 hex digits in either case and is stored lower-cased.
std::optional<std::string> normalise_hash(std::string_view text) {
  if (text.size() != tel::kHashHexChars) return std::nullopt;
  std::string out(text);
  for (char& c : out) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// C0 controls, DEL and the C1 controls (U+0080–U+009F, two bytes in UTF-8).
bool has_control_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) return true;
    if (c == 0xc2 && i + 1 < text.size()) {
      auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9f) return true;
    }
  }
  return false;
}

// `org_hash` or `user_hash`: absent, null or a hash; and only on an event that declares it.
Result<std::optional<std::string>> read_subject_hash(ObjectReader& reader, std::string_view name,
                                                     const tel::Event& event) {
  auto member = reader.nullable_string(name);
  if (!member) return fail(member.error());
  if (!member->has_value()) return std::optional<std::string>();
  if (tel::find_field(event, name) == nullptr)
    return fail(invalid(std::string(name),
                        std::string(name) + " is not a field of " + std::string(event.name)));
  auto hash = normalise_hash(member->value);
  if (!hash) return fail(invalid(std::string(name), std::string(name) + " must be 32 hex digits"));
  return hash;
}

// A property that breaks its field's rule: the field is named `properties.<name>` in `field` and
// at the start of the message, which goes on with `rule`.
Error invalid_property(std::string_view name, std::string rule) {
  std::string field_name = "properties." + std::string(name);
  std::string message = field_name + std::move(rule);
  return invalid(std::move(field_name), std::move(message));
}

// One property: declared by the event, of the declared kind, allowed by its condition. Appends
// the value to store to `out`, as JSON.
Result<void> append_property(std::string& out, const tel::Event& event,
                             const json::object& properties, std::string_view name,
                             const json::value& value) {
  const tel::Field* field = tel::find_field(event, name);
  if (field == nullptr || field->placement != tel::Placement::properties)
    return fail(invalid_property(name, " is not a field of " + std::string(event.name)));
  if (!field->only_when.field.empty()) {
    const auto* gate = properties.if_contains(
        json::string_view(field->only_when.field.data(), field->only_when.field.size()));
    const bool open = gate != nullptr && gate->is_string() &&
                      gate->get_string() == json::string_view(field->only_when.value.data(),
                                                              field->only_when.value.size());
    if (!open)
      return fail(invalid_property(name, " may only be sent when " +
                                             std::string(field->only_when.field) + " is " +
                                             std::string(field->only_when.value)));
  }
  const auto* text = value.if_string();
  switch (field->kind) {
    case tel::FieldKind::hash:
      if (text != nullptr) {
        if (auto hash = normalise_hash(std::string_view(text->data(), text->size()))) {
          core::append_json_string(out, *hash);
          return {};
        }
      }
      return fail(invalid_property(name, " must be 32 hex digits"));
    case tel::FieldKind::enumeration: {
      if (text != nullptr &&
          tel::allows_value(*field, std::string_view(text->data(), text->size()))) {
        core::append_json_string(out, std::string_view(text->data(), text->size()));
        return {};
      }
      std::string allowed;
      for (auto v : field->values) allowed += (allowed.empty() ? "" : ", ") + std::string(v);
      return fail(invalid_property(name, " must be one of " + allowed));
    }
    case tel::FieldKind::integer: {
      // JSON integers only: 2.0 is a double, and 2^63 and above arrive as uint64.
      const auto* number = value.if_int64();
      if (number == nullptr)
        return fail(invalid_property(name, " must be a 64-bit signed integer"));
      std::array<char, 24> digits{};
      const auto written = std::to_chars(digits.data(), digits.data() + digits.size(), *number);
      out.append(digits.data(), written.ptr);
      return {};
    }
    case tel::FieldKind::string: {
      if (text == nullptr || text->size() > tel::kMaxStringBytes)
        return fail(invalid_property(name, " must be a string of at most " +
                                               std::to_string(tel::kMaxStringBytes) + " bytes"));
      const std::string_view string(text->data(), text->size());
      // Said on its own, although no pattern admits one: a NUL or a line break is what an
      // injection attempt looks like, and the message should name it.
      if (has_control_character(string))
        return fail(invalid_property(name, " must not contain control characters"));
      if (field->pattern == nullptr || !field->pattern->matches(string))
        return fail(invalid_property(
            name, " must match " +
                      std::string(field->pattern ? field->pattern->source() : "its pattern")));
      core::append_json_string(out, string);
      return {};
    }
    case tel::FieldKind::boolean:
      if (!value.is_bool()) return fail(invalid_property(name, " must be true or false"));
      out += value.get_bool() ? "true" : "false";
      return {};
  }
  return fail(invalid_property(name, " has an unknown kind"));
}

// The stored text of `properties`: each property checked, written in the order received, in the
// compact form (the values accepted above never need an escape beyond `"` and `\`, which
// core::append_json_string writes as Boost.JSON does, so the text is what serialize() would give).
Result<std::string> read_properties(const tel::Event& event, const json::value* member,
                                    std::string_view text) {
  if (member == nullptr) return std::string("{}");
  const auto* properties = member->if_object();
  if (properties == nullptr) return fail(invalid("properties", "properties must be an object"));
  // Whitespace and escapes only ever make the received text longer than the compact form, so a
  // whole envelope within the limit needs no measuring.
  if (text.size() > kMaxPropertiesBytes) {
    auto raw = raw_member(text, "properties");
    if (raw && raw->size() > kMaxPropertiesBytes)
      return fail(invalid("properties", "properties must be at most " +
                                            std::to_string(kMaxPropertiesBytes) + " bytes"));
  }
  std::string stored = "{";
  for (const auto& member_pair : *properties) {
    const std::string_view name(member_pair.key().data(), member_pair.key().size());
    if (stored.size() > 1) stored += ',';
    core::append_json_string(stored, name);
    stored += ':';
    FERR_CHECK(append_property(stored, event, *properties, name, member_pair.value()));
  }
  stored += '}';
  return stored;
}

Result<core::TimePoint> read_occurred_at(const std::optional<std::string>& text,
                                         const EnvelopeContext& context) {
  if (!text) return context.received_at;
  auto at = core::parse_rfc3339(*text);
  if (!at) return fail(invalid("occurred_at", "occurred_at must be an RFC 3339 timestamp"));
  if (*at > context.received_at + kMaxFutureSkew)
    return fail(invalid("occurred_at", "occurred_at is more than 24 hours in the future"));
  if (*at < context.received_at - std::chrono::days(context.retention_days))
    return fail(invalid("occurred_at", "occurred_at is older than the retention window of " +
                                           std::to_string(context.retention_days) + " days"));
  return *at;
}

}  // namespace

Result<domain::telemetry::EventRow> read_envelope(const json::value& value, std::string_view text,
                                                  const EnvelopeContext& context) {
  auto reader = ObjectReader::of(value);
  if (!reader) return fail(invalid("envelope", "an envelope must be a JSON object"));
  domain::telemetry::EventRow row;

  auto surface_name = reader->required_string("surface");
  if (!surface_name) return fail(surface_name.error());
  auto surface = tel::find_surface(*surface_name);
  if (!surface) return fail(invalid("surface", "surface is not one of the six surfaces"));

  auto event_name = reader->required_string("event");
  if (!event_name) return fail(event_name.error());
  const tel::Event* event = tel::find_event(*event_name);
  if (event == nullptr) return fail(invalid("event", "event is not in the catalog"));
  if (event->surface != *surface)
    return fail(invalid("event", std::string(event->name) + " is not an event of " +
                                     std::string(tel::surface_name(*surface))));

  auto version = reader->optional_value("schema_version");
  if (!version) return fail(version.error());
  if (!*version) return fail(invalid("schema_version", "schema_version is required"));
  if (const auto* number = (**version)->if_int64(); number == nullptr || *number != kSchemaVersion)
    return fail(invalid("schema_version", "schema_version must be a supported version: 1"));

  auto org_hash = read_subject_hash(*reader, "org_hash", *event);
  if (!org_hash) return fail(org_hash.error());
  auto user_hash = read_subject_hash(*reader, "user_hash", *event);
  if (!user_hash) return fail(user_hash.error());

  auto properties_member = reader->optional_value("properties");
  if (!properties_member) return fail(properties_member.error());
  auto properties = read_properties(*event, properties_member->value_or(nullptr), text);
  if (!properties) return fail(properties.error());

  auto occurred_text = reader->optional_string("occurred_at");
  if (!occurred_text) return fail(occurred_text.error());
  auto occurred_at = read_occurred_at(*occurred_text, context);
  if (!occurred_at) return fail(occurred_at.error());

  auto event_id_text = reader->optional_string("event_id");
  if (!event_id_text) return fail(event_id_text.error());
  if (*event_id_text) {
    row.event_id = core::Uuid::parse(**event_id_text);
    if (!row.event_id) return fail(invalid("event_id", "event_id must be a UUID"));
  }

  if (auto complete = reader->finish(); !complete) return fail(complete.error());

  row.surface = std::string(tel::surface_name(*surface));
  row.event = std::string(event->name);
  row.org_hash = std::move(*org_hash);
  row.user_hash = std::move(*user_hash);
  row.properties = std::move(*properties);
  row.schema_version = static_cast<int>(kSchemaVersion);
  row.origin = domain::telemetry::Origin::ingest;
  row.occurred_at = *occurred_at;
  row.received_at = context.received_at;
  return row;
}

}  // namespace ferr::api
