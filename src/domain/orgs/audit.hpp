#pragma once
/// What the audit log records: every row is stamped here and its metadata written here, once
/// for both storage backends (api.md "Audit log").

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/id.hpp"
#include "core/random.hpp"
#include "domain/accounts/principal.hpp"
#include "domain/orgs/organization.hpp"

namespace ferr::domain::orgs {

/// A new audit row stamped now, with a UUIDv7 id; its metadata is filled in by the rule that
/// decides the change (the functions below).
AuditRecord audit_record(const core::Clock& clock, core::Random& random,
                         std::optional<core::UserId> actor, std::string action, std::string target,
                         std::string metadata = "{}");
/// The same for a change the principal makes: its actor (none for an `org`-owned token) and the
/// API token it came through.
AuditRecord audit_record(const core::Clock& clock, core::Random& random,
                         const accounts::Principal& actor, std::string action, std::string target,
                         std::string metadata = "{}");

/// The metadata as stored: the record's, with `"via_token": <token id>` added when the change
/// came through an API token (api.md "API tokens"). Both backends write this.
std::string stored_metadata(const AuditRecord& record);

/// `s` as a JSON string literal.
std::string json_string(std::string_view s);

/// `org.created`: `{"slug", "name"}`.
std::string org_created_metadata(std::string_view slug, std::string_view name);
/// `org.updated`: the members that change, `{"name"?, "slug"?}`; nullopt when nothing changes,
/// which makes the update a no-op (nothing written, nothing audited).
std::optional<std::string> org_updated_metadata(const OrgView& current,
                                                const std::optional<std::string>& name,
                                                const std::optional<std::string>& slug);
/// `org.member.added`: `{"role"}`.
std::string member_added_metadata(Role role);
/// `org.member.role_changed`: `{"from", "to"}`.
std::string role_changed_metadata(Role from, Role to);
/// `org.member.removed`: `{"role"}` (the role the member had).
std::string member_removed_metadata(Role role);
/// `telemetry.opt_out.update`: `{"from", "to"}`.
std::string opt_out_metadata(bool from, bool to);
/// `org.token.created`: `{"name", "owner"}`.
std::string token_created_metadata(std::string_view name, std::string_view owner);
/// `subscription.activated`: `{"product", "tier"}`.
std::string subscription_activated_metadata(subscriptions::Product product,
                                            subscriptions::Tier tier);
/// `subscription.tier_changed`: `{"from", "to"}`.
std::string tier_changed_metadata(subscriptions::Tier from, subscriptions::Tier to);
/// `subscription.canceled`: `{"tier"}` (the tier it had).
std::string subscription_canceled_metadata(subscriptions::Tier tier);

}  // namespace ferr::domain::orgs
