#pragma once
/// Storage of organizations, memberships and the audit log. Every mutating method is one
/// transaction that also writes its audit row; rules that depend on the stored state (the last
/// owner, the target's current role) are checked inside that transaction.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "domain/orgs/organization.hpp"

namespace ferr::domain::orgs {

/// Checks a change against the member's current role (inside the transaction).
using RoleCheck = std::function<core::Result<void>(Role current)>;

class OrgRepository {
 public:
  virtual ~OrgRepository() = default;

  /// Creates the organization with `owner` as its owner; ORG_SLUG_TAKEN when the slug is used.
  virtual core::Result<OrgView> create_org(const core::Uuid& id, const std::string& slug,
                                           const std::string& name, const core::Uuid& owner,
                                           const AuditRecord& audit) = 0;
  /// The caller's organizations, by slug.
  virtual core::Result<std::vector<OrgView>> orgs_of(const core::Uuid& user) = 0;
  /// The organization `slug` as `user` sees it; nullopt when it does not exist or `user` is not
  /// a member (the two are never told apart).
  virtual core::Result<std::optional<OrgView>> org_for_member(const std::string& slug,
                                                              const core::Uuid& user) = 0;
  /// Renames and/or re-slugs; ORG_SLUG_TAKEN when the new slug is used.
  virtual core::Result<OrgView> update_org(const core::Uuid& org_id, const core::Uuid& viewer,
                                           const std::optional<std::string>& name,
                                           const std::optional<std::string>& slug,
                                           const AuditRecord& audit) = 0;

  /// Members by joined_at.
  virtual core::Result<std::vector<Member>> members(const core::Uuid& org_id) = 0;
  /// Adds the active account `email`; USER_NOT_FOUND, ORG_MEMBER_ALREADY_EXISTS.
  virtual core::Result<Member> add_member(const core::Uuid& org_id, const std::string& email,
                                          Role role, AuditRecord audit) = 0;
  /// Changes a member's role after `check(current)` passes; ORG_LAST_OWNER when it would leave no
  /// owner; USER_NOT_FOUND when `user` is not a member.
  virtual core::Result<Member> change_role(const core::Uuid& org_id, const core::Uuid& user,
                                           Role role, const RoleCheck& check,
                                           AuditRecord audit) = 0;
  /// Removes a member after `check(current)` passes; ORG_LAST_OWNER for the last owner.
  virtual core::Result<void> remove_member(const core::Uuid& org_id, const core::Uuid& user,
                                           const RoleCheck& check, AuditRecord audit) = 0;

  /// Sets `organizations.telemetry_opt_out`; the audit row records the change.
  virtual core::Result<void> set_telemetry_opt_out(const core::Uuid& org_id, bool opt_out,
                                                   const AuditRecord& audit) = 0;

  /// Audit entries newest first, at most `limit`, only older than `before` when given.
  virtual core::Result<std::vector<AuditRecord>> audit_log(
      const core::Uuid& org_id, int limit, const std::optional<core::Uuid>& before) = 0;
};

}  // namespace ferr::domain::orgs
