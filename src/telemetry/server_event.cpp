#include "telemetry/server_event.hpp"

#include <algorithm>

namespace ferr::telemetry {

namespace {

using core::Error;

/// Whether `value` holds what a field of `kind` takes.
bool has_kind(const PropertyValue& value, FieldKind kind) {
  switch (kind) {
    case FieldKind::hash:
      return std::holds_alternative<core::Uuid>(value) ||
             std::holds_alternative<std::monostate>(value);
    case FieldKind::enumeration:
    case FieldKind::string: return std::holds_alternative<std::string>(value);
    case FieldKind::integer: return std::holds_alternative<std::int64_t>(value);
    case FieldKind::boolean: return std::holds_alternative<bool>(value);
  }
  return false;
}

/// The id behind an envelope field, against what the event declares.
core::Result<void> check_subject(const Event& event, std::string_view field,
                                 const std::optional<core::Uuid>& id) {
  const bool declared = find_field(event, field) != nullptr;
  if (declared && !id) return tl::unexpected(Error::validation(std::string(field), "missing"));
  if (!declared && id)
    return tl::unexpected(
        Error::validation(std::string(field), "not a field of " + std::string(event.name)));
  return {};
}

}  // namespace

core::Result<void> validate(const ServerEvent& event) {
  return validate(event.name(), event.org_id(), event.user_id(), event.properties());
}

core::Result<void> validate(std::string_view name, const std::optional<core::Uuid>& org_id,
                            const std::optional<core::Uuid>& user_id,
                            std::span<const Property> properties) {
  const Event* event = find_event(name);
  if (event == nullptr || event->name != name)
    return tl::unexpected(Error::validation("event", "not a catalog event name"));
  if (event->surface != Surface::ferrlabs)
    return tl::unexpected(Error::validation("event", "not a server-side (ferrlabs) event"));
  if (auto ok = check_subject(*event, "org_hash", org_id); !ok) return ok;
  if (auto ok = check_subject(*event, "user_hash", user_id); !ok) return ok;

  for (std::size_t i = 0; i < properties.size(); ++i) {
    const Property& property = properties[i];
    const std::string member(property.name);
    const Field* field = find_field(*event, property.name);
    if (field == nullptr || field->placement != Placement::properties)
      return tl::unexpected(Error::validation(member, "not a property of " + std::string(name)));
    for (std::size_t j = 0; j < i; ++j)
      if (properties[j].name == property.name)
        return tl::unexpected(Error::validation(member, "set twice"));
    if (!has_kind(property.value, field->kind))
      return tl::unexpected(
          Error::validation(member, "must be of kind " + std::string(kind_name(field->kind))));
    if (const auto* text = std::get_if<std::string>(&property.value)) {
      if (field->kind == FieldKind::enumeration && !allows_value(*field, *text))
        return tl::unexpected(Error::validation(member, "not one of the listed values"));
      if (text->size() > kMaxStringBytes)
        return tl::unexpected(Error::validation(member, "longer than 128 bytes"));
    }
  }

  // Server events carry every declared property (§3): a missing one is a bug at the emit site.
  for (const Field& field : event->fields) {
    if (field.placement != Placement::properties) continue;
    const bool present = std::any_of(properties.begin(), properties.end(),
                                     [&](const Property& p) { return p.name == field.name; });
    if (!present) return tl::unexpected(Error::validation(std::string(field.name), "missing"));
  }
  return {};
}

}  // namespace ferr::telemetry
