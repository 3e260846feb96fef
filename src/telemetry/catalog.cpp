#include "telemetry/catalog.hpp"

#include <algorithm>

namespace ferr::telemetry {

namespace {

/// Slugs indexed by `Surface`, so the enumerators and their wire names cannot drift apart.
constexpr std::array<std::string_view, kSurfaces.size()> kSurfaceNames = {
    "ferrlabs", "ferrflow", "ferrvault", "ferrtrack", "ferrgrowth", "ferrfleet"};

/// Whether `candidate` is `dotted` with every dot written as an underscore.
constexpr bool is_snake_spelling(std::string_view dotted, std::string_view candidate) {
  if (candidate.size() != dotted.size()) return false;
  for (std::size_t i = 0; i < dotted.size(); ++i) {
    const char expected = dotted[i] == '.' ? '_' : dotted[i];
    if (candidate[i] != expected) return false;
  }
  return true;
}

constexpr bool has_field(const Event& event, std::string_view name) {
  for (const Field& field : event.fields)
    if (field.name == name) return true;
  return false;
}

/// Whether two dotted names read the same once every dot is an underscore.
constexpr bool same_snake_spelling(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] == '.' ? '_' : a[i]) != (b[i] == '.' ? '_' : b[i])) return false;
  return true;
}

constexpr bool names_are_unique() {
  for (std::size_t i = 0; i < kEvents.size(); ++i)
    for (std::size_t j = i + 1; j < kEvents.size(); ++j)
      if (same_snake_spelling(kEvents[i].name, kEvents[j].name)) return false;
  return true;
}

constexpr bool field_is_consistent(const Field& field) {
  const bool envelope_name = field.name == "org_hash" || field.name == "user_hash";
  if (envelope_name != (field.placement == Placement::envelope)) return false;
  if (envelope_name && field.kind != FieldKind::hash) return false;
  if ((field.kind == FieldKind::enumeration) == field.values.empty()) return false;
  for (std::size_t i = 0; i < field.values.size(); ++i)
    for (std::size_t j = i + 1; j < field.values.size(); ++j)
      if (field.values[i] == field.values[j]) return false;
  return !field.name.empty() && !field.doc.en.empty() && !field.doc.fr.empty();
}

// A condition names an enumeration of the same event and one of its values.
constexpr bool condition_is_consistent(const Event& event, const Field& field) {
  if (field.only_when.field.empty()) return field.only_when.value.empty();
  for (const Field& other : event.fields)
    if (other.name == field.only_when.field && other.kind == FieldKind::enumeration) {
      for (auto value : other.values)
        if (value == field.only_when.value) return true;
    }
  return false;
}

constexpr bool fields_are_consistent() {
  for (const Event& event : kEvents) {
    // The typed builder keeps one bit per field in a 64-bit mask, plus the all-set mask.
    if (event.fields.size() >= 64) return false;
    for (std::size_t i = 0; i < event.fields.size(); ++i) {
      if (!field_is_consistent(event.fields[i])) return false;
      if (!condition_is_consistent(event, event.fields[i])) return false;
      for (std::size_t j = i + 1; j < event.fields.size(); ++j)
        if (event.fields[i].name == event.fields[j].name) return false;
    }
  }
  return true;
}

constexpr bool subjects_are_carried() {
  for (const Event& event : kEvents) {
    const bool org = has_field(event, "org_hash");
    const bool user = has_field(event, "user_hash");
    if (event.subject == Subject::org && !org) return false;
    if (event.subject == Subject::user && (!user || org)) return false;
    if (event.subject == Subject::none && (org || user)) return false;
    if (event.when.en.empty() || event.when.fr.empty()) return false;
  }
  return true;
}

// Mistakes in the table above are build errors, before any test runs.
static_assert(names_are_unique(), "two catalog events share a name or a snake_case spelling");
static_assert(fields_are_consistent(),
              "a catalog field is inconsistent: duplicate name, envelope placement other than "
              "org_hash/user_hash, enum without values, value list on a non-enum, or missing doc");
static_assert(subjects_are_carried(),
              "a catalog event does not carry the hash of its subject, or lacks its texts");

}  // namespace

std::string_view surface_name(Surface surface) {
  return kSurfaceNames.at(static_cast<std::size_t>(surface));
}

std::optional<Surface> find_surface(std::string_view slug) {
  for (Surface surface : kSurfaces)
    if (surface_name(surface) == slug) return surface;
  return std::nullopt;
}

std::string_view subject_name(Subject subject) {
  switch (subject) {
    case Subject::org: return "org";
    case Subject::user: return "user";
    case Subject::none: return "none";
  }
  return "none";
}

std::string_view kind_name(FieldKind kind) {
  switch (kind) {
    case FieldKind::hash: return "hash";
    case FieldKind::enumeration: return "enum";
    case FieldKind::integer: return "int";
    case FieldKind::string: return "string";
    case FieldKind::boolean: return "bool";
  }
  return "string";
}

const Event* find_event(std::string_view name) {
  // Only the two spellings the spec names: a mix such as `org_member.added` is neither, and the
  // public list is an allowlist.
  for (const Event& event : kEvents)
    if (event.name == name || is_snake_spelling(event.name, name)) return &event;
  return nullptr;
}

const Field* find_field(const Event& event, std::string_view name) {
  for (const Field& field : event.fields)
    if (field.name == name) return &field;
  return nullptr;
}

bool allows_value(const Field& field, std::string_view value) {
  return field.kind == FieldKind::enumeration &&
         std::find(field.values.begin(), field.values.end(), value) != field.values.end();
}

}  // namespace ferr::telemetry
