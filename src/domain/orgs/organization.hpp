#pragma once
/// Organizations, their members and their audit trail as the use cases see them.

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/id.hpp"
#include "domain/orgs/role.hpp"
#include "domain/subscriptions/subscription.hpp"

namespace ferr::domain::orgs {

/// An organization seen by one of its members.
struct OrgView {
  core::OrgId id;
  std::string slug;
  std::string name;
  subscriptions::Tier plan = subscriptions::Tier::free;  ///< highest tier among live subscriptions
  Role role = Role::viewer;                              ///< the caller's role
  int member_count = 0;
  bool telemetry_opt_out = false;
  core::TimePoint created_at;
  core::TimePoint updated_at;
};

/// A member of an organization.
struct Member {
  core::UserId user_id;
  std::string email;
  std::optional<std::string> display_name;
  Role role = Role::viewer;
  core::TimePoint joined_at;
};

/// One row of `org_audit_log`, written in the same transaction as the change it records.
struct AuditRecord {
  core::AuditEntryId id;
  std::optional<core::UserId> actor_id;  ///< nobody for an `org`-owned API token
  std::string action;                    ///< e.g. `org.member.added`
  std::string target;                    ///< what the action touched (a user id, a slug, a product)
  std::string metadata;                  ///< a JSON object, as text
  core::TimePoint created_at;
  std::optional<core::ApiTokenId> via_token;  ///< the API token the change was made through
};

/// One of a user's memberships, as their data export shows it.
struct Membership {
  core::OrgId org_id;
  std::string slug;
  std::string name;
  Role role = Role::viewer;
  core::TimePoint joined_at;
};

/// An audit entry with the organization it belongs to.
struct OrgAuditRecord {
  core::OrgId org_id;
  AuditRecord entry;
};

}  // namespace ferr::domain::orgs
