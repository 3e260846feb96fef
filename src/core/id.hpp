#pragma once
/// Strong identifiers: a UUID that knows what it names, so a user id can never be passed where
/// an organization id is expected. The wire and storage form is the UUID's canonical text.

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/uuid.hpp"

namespace ferr::core {

/// The id of a `Tag` (an empty struct naming the kind of thing).
template <typename Tag>
struct Id {
  Uuid value;

  /// A new time-ordered id (UUIDv7).
  static Id generate(const Clock& clock, Random& random) { return Id{Uuid::v7(clock, random)}; }
  /// Parses the canonical text; nullopt otherwise.
  static std::optional<Id> parse(std::string_view text) {
    auto uuid = Uuid::parse(text);
    if (!uuid) return std::nullopt;
    return Id{*uuid};
  }
  /// Canonical lowercase text.
  std::string to_string() const { return value.to_string(); }

  friend bool operator==(const Id&, const Id&) = default;
  friend auto operator<=>(const Id&, const Id&) = default;  // NOLINT(modernize-use-nullptr)
};

/// A person's account.
using UserId = Id<struct UserTag>;
/// An organization.
using OrgId = Id<struct OrgTag>;
/// A login session (a refresh-token family).
using SessionId = Id<struct SessionTag>;
/// A subscription row.
using SubscriptionId = Id<struct SubscriptionTag>;
/// An entry of an organization's audit log.
using AuditEntryId = Id<struct AuditEntryTag>;
/// A personal or organization API token.
using ApiTokenId = Id<struct ApiTokenTag>;

}  // namespace ferr::core
