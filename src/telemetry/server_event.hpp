#pragma once
/// The typed emit API of the server-side events (surface `ferrlabs`, telemetry.md §3). Event and
/// field names are template arguments looked up in the constexpr catalog, so a handler that names
/// an event or a field the catalog does not declare, passes the wrong kind of value, sets a field
/// twice or forgets one does not compile:
///
///     ServerEvent event = ServerEvent::make<"product.tier_changed">()
///                             .with<"org_hash">(org_id)
///                             .with<"product">("ferrflow")
///                             .with<"tier_from">("free")
///                             .with<"tier_to">("pro");

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "core/uuid.hpp"
#include "telemetry/catalog.hpp"

namespace ferr::telemetry {

/// A string literal usable as a template argument, so names can be checked at compile time.
template <std::size_t N>
struct FixedString {
  char chars[N]{};
  /// Implicit, so that `make<"org.created">` reads as a plain literal.
  consteval FixedString(const char (&text)[N]) { std::copy_n(text, N, chars); }
  /// The text without its terminating NUL.
  constexpr std::string_view view() const { return {chars, N - 1}; }
};

/// A property value. A `hash` field holds the raw id: the writer hashes it with the key, so the
/// key never has to reach a handler; `std::monostate` is a hash field with nobody behind it
/// (`actor_hash` of a change made through an `org`-owned API token), written as null.
using PropertyValue = std::variant<std::string, std::int64_t, bool, core::Uuid, std::monostate>;

/// One property of an event; `name` points into the catalog (or, in tests, at a literal).
struct Property {
  std::string_view name;
  PropertyValue value;
};

template <FixedString Name, std::uint64_t Set>
class ServerEventBuilder;

/// A server-side event as a handler hands it to the emitter: subject ids are raw, pseudonyms are
/// computed by the writer.
class ServerEvent {
 public:
  /// Starts the event `Name`, which must be a `ferrlabs` event of the catalog.
  template <FixedString Name>
  [[nodiscard]] static ServerEventBuilder<Name, 0> make();

  /// The catalog entry.
  const Event& definition() const { return *event_; }
  /// The dotted event name.
  std::string_view name() const { return event_->name; }
  /// The id behind `org_hash`, when the event declares it.
  const std::optional<core::Uuid>& org_id() const { return org_id_; }
  /// The id behind `user_hash`, when the event declares it.
  const std::optional<core::Uuid>& user_id() const { return user_id_; }
  /// The fields that travel inside `properties`, in the order they were set.
  std::span<const Property> properties() const { return properties_; }

 private:
  template <FixedString, std::uint64_t>
  friend class ServerEventBuilder;
  explicit ServerEvent(const Event& event) : event_(&event) {}

  const Event* event_;
  std::optional<core::Uuid> org_id_;
  std::optional<core::Uuid> user_id_;
  std::vector<Property> properties_;
};

// The lookups are constexpr rather than consteval only because clang 14 (our clang-tidy) rejects
// consteval calls inside templates; every use below is a constant expression all the same.
namespace detail {

inline constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

/// Index of the event spelled exactly `name` (dotted; code has no reason to use the snake form).
constexpr std::size_t event_index(std::string_view name) {
  for (std::size_t i = 0; i < kEvents.size(); ++i)
    if (kEvents[i].name == name) return i;
  return kNotFound;
}

/// Index of the field `name` of `event`.
constexpr std::size_t field_index(const Event& event, std::string_view name) {
  const auto fields = event.fields;
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return i;
  return kNotFound;
}

/// Whether a `T` may be given to a field of `kind`: the raw id for a hash, text for an enum or
/// a string, any integer but bool for an int, only bool for a bool (no silent conversions).
template <typename T>
constexpr bool accepts(FieldKind kind) {
  using V = std::remove_cvref_t<T>;
  switch (kind) {
    case FieldKind::hash:
      return std::same_as<V, core::Uuid> || std::same_as<V, std::optional<core::Uuid>>;
    case FieldKind::enumeration:
    case FieldKind::string: return std::convertible_to<T, std::string_view>;
    case FieldKind::integer: return std::integral<V> && !std::same_as<V, bool>;
    case FieldKind::boolean: return std::same_as<V, bool>;
  }
  return false;
}

/// Index of the server-side event `Name`; instantiated once per name, so a misuse is reported
/// once. After a failed assertion it answers 0, which keeps the compiler to that one message.
template <FixedString Name>
constexpr std::size_t server_event_index() {
  constexpr std::size_t found = event_index(Name.view());
  static_assert(found != kNotFound, "telemetry: event not declared in the catalog");
  constexpr std::size_t index = found == kNotFound ? 0 : found;
  static_assert(found == kNotFound || kEvents[index].surface == Surface::ferrlabs,
                "telemetry: the server emits only ferrlabs events; other surfaces report their "
                "own events through POST /v1/telemetry");
  return index;
}

}  // namespace detail

/// An event under construction; `Set` has bit i set once field i of the catalog entry is given.
template <FixedString Name, std::uint64_t Set>
class ServerEventBuilder {
  static constexpr const Event& kEvent = kEvents[detail::server_event_index<Name>()];
  static constexpr std::uint64_t kAllFields = (std::uint64_t{1} << kEvent.fields.size()) - 1;

 public:
  /// Sets the field `FieldName`: a `core::Uuid` for a hash field (`org_hash`, `user_hash`,
  /// `actor_hash`), text for an enum or a string, an integer for an int, a bool for a bool.
  template <FixedString FieldName, typename T>
  [[nodiscard]] auto with(T&& value) && {
    constexpr std::size_t kFound = detail::field_index(kEvent, FieldName.view());
    static_assert(kFound != detail::kNotFound,
                  "telemetry: field not declared for this event in the catalog");
    // The checks below would only repeat that message for an undeclared field.
    constexpr bool kDeclared = kFound != detail::kNotFound;
    constexpr std::size_t kField = kDeclared ? kFound : 0;
    static_assert(!kDeclared || ((Set >> kField) & 1) == 0, "telemetry: field set twice");
    constexpr Field kSpec = kEvent.fields[kField];
    static_assert(!kDeclared || detail::accepts<T>(kSpec.kind),
                  "telemetry: wrong kind of value for this field (hash: core::Uuid, enum and "
                  "string: text, int: an integer, bool: bool)");

    if constexpr (kDeclared && detail::accepts<T>(kSpec.kind)) {
      ServerEvent& event = event_;
      if constexpr (kSpec.placement == Placement::envelope) {
        (kSpec.name == "org_hash" ? event.org_id_ : event.user_id_) = value;
      } else if constexpr (kSpec.kind == FieldKind::enumeration ||
                           kSpec.kind == FieldKind::string) {
        event.properties_.push_back({kSpec.name, std::string(std::string_view(value))});
      } else if constexpr (kSpec.kind == FieldKind::integer) {
        event.properties_.push_back({kSpec.name, static_cast<std::int64_t>(value)});
      } else if constexpr (std::same_as<std::remove_cvref_t<T>, std::optional<core::Uuid>>) {
        event.properties_.push_back(
            {kSpec.name, value ? PropertyValue(*value) : PropertyValue(std::monostate{})});
      } else {
        event.properties_.push_back({kSpec.name, value});
      }
    }
    return ServerEventBuilder<Name, Set | (std::uint64_t{1} << kField)>(std::move(event_));
  }

  /// The finished event. Implicit, so that a built event can go straight to the emitter.
  operator ServerEvent() && {
    static_assert(Set == kAllFields,
                  "telemetry: every field the catalog declares for this event must be set "
                  "(telemetry.md §3: emitted properties follow the catalog exactly)");
    return std::move(event_);
  }

 private:
  template <FixedString, std::uint64_t>
  friend class ServerEventBuilder;
  friend class ServerEvent;
  ServerEventBuilder() : event_(kEvent) {}
  explicit ServerEventBuilder(ServerEvent event) : event_(std::move(event)) {}

  ServerEvent event_;
};

template <FixedString Name>
ServerEventBuilder<Name, 0> ServerEvent::make() {
  return ServerEventBuilder<Name, 0>();
}

/// Checks an event against the catalog: a `ferrlabs` event, its subject ids present exactly as
/// its envelope fields require, every declared property set once with the declared kind and, for
/// enums, a listed value, and nothing else. The builder makes most violations compile errors; the
/// enum values are text chosen at run time, so this is what proves them.
core::Result<void> validate(const ServerEvent& event);

/// The same check on the parts of an event, for code that holds them without a builder.
core::Result<void> validate(std::string_view event, const std::optional<core::Uuid>& org_id,
                            const std::optional<core::Uuid>& user_id,
                            std::span<const Property> properties);

}  // namespace ferr::telemetry
