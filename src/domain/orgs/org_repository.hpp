#pragma once
/// Storage of organizations, memberships and the audit log. Every mutating method is one
/// transaction that also writes its audit row. Where a change depends on stored state (the
/// target's current role, the number of owners), the backend locks and reads that state inside
/// its transaction and asks the rule in role.hpp, so concurrent changes are serialised by the
/// database and the rule is written once.

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/id.hpp"
#include "core/task.hpp"
#include "domain/accounts/principal.hpp"
#include "domain/orgs/organization.hpp"

namespace ferr::domain::orgs {

/// What looking an organization up for a principal found, in one step.
struct OrgLookup {
  bool session_live = false;   ///< the principal's session is live; nothing else counts if not
  std::optional<OrgView> org;  ///< nullopt for a missing org and a non-member alike
};

/// What looking an organization up for an org token found, in one step.
struct OrgTokenLookup {
  bool token_live = false;  ///< the token exists and is not revoked; nothing else counts if not
  bool org_owned = false;   ///< `owner: org`
  std::optional<Role> creator_role;  ///< the creator's role in the org; nullopt if no member
  std::optional<OrgView> org;  ///< the token's org, when the slug names it (role: a placeholder)
};

class OrgRepository {
 public:
  virtual ~OrgRepository() = default;

  /// Creates the organization with `owner` as its owner; ORG_SLUG_TAKEN when the slug is used.
  virtual core::Task<core::Result<OrgView>> create_org(const core::OrgId& id,
                                                       const std::string& slug,
                                                       const std::string& name,
                                                       const core::UserId& owner,
                                                       const AuditRecord& audit) = 0;
  /// The user's organizations, by slug.
  virtual core::Task<core::Result<std::vector<OrgView>>> orgs_of(const core::UserId& user) = 0;
  /// The organization `slug` as the principal sees it, and whether the principal's session is
  /// live: the authentication of every organization route and its first read in one step.
  virtual core::Task<core::Result<OrgLookup>> org_for_member(
      const std::string& slug, const accounts::Principal& principal) = 0;
  /// The org token's organization, when `slug` (if given) names it, and what the domain needs to
  /// decide what the token may do there.
  virtual core::Task<core::Result<OrgTokenLookup>> org_for_token(
      const core::ApiTokenId& token, const std::optional<std::string>& slug) = 0;
  /// Renames and/or re-slugs; ORG_SLUG_TAKEN when the new slug is used. The org comes back as
  /// a caller with `viewer_role` sees it.
  virtual core::Task<core::Result<OrgView>> update_org(const core::OrgId& org_id, Role viewer_role,
                                                       const std::optional<std::string>& name,
                                                       const std::optional<std::string>& slug,
                                                       const AuditRecord& audit) = 0;

  /// Members by joined_at.
  virtual core::Task<core::Result<std::vector<Member>>> members(const core::OrgId& org_id) = 0;
  /// Adds the active account `email`; USER_NOT_FOUND, ORG_MEMBER_ALREADY_EXISTS. The audit
  /// row's target becomes the new member's id.
  virtual core::Task<core::Result<Member>> add_member(const core::OrgId& org_id,
                                                      const std::string& email, Role role,
                                                      AuditRecord audit) = 0;
  /// Gives `user` the role `wanted` as `plan_role_change(actor_role, stored, wanted)` decides:
  /// the member as it is afterwards (unchanged, and unaudited, for the same role).
  virtual core::Task<core::Result<Member>> change_role(const core::OrgId& org_id,
                                                       const core::UserId& user, Role wanted,
                                                       Role actor_role, AuditRecord audit) = 0;
  /// Removes `user` as `plan_removal(actor_role, stored)` decides.
  virtual core::Task<core::Result<void>> remove_member(const core::OrgId& org_id,
                                                       const core::UserId& user, Role actor_role,
                                                       AuditRecord audit) = 0;

  /// Sets `organizations.telemetry_opt_out`; the audit row records the change.
  virtual core::Task<core::Result<void>> set_telemetry_opt_out(const core::OrgId& org_id,
                                                               bool opt_out,
                                                               const AuditRecord& audit) = 0;

  /// The user's memberships, by slug.
  virtual core::Task<core::Result<std::vector<Membership>>> memberships_of(
      const core::UserId& user) = 0;
  /// Every audit entry whose actor is `user`, in every organization, newest first.
  virtual core::Task<core::Result<std::vector<OrgAuditRecord>>> audit_by_actor(
      const core::UserId& user) = 0;

  /// Audit entries newest first, at most `limit`, only older than `before` when given.
  virtual core::Task<core::Result<std::vector<AuditRecord>>> audit_log(
      const core::OrgId& org_id, int limit, const std::optional<core::AuditEntryId>& before) = 0;
};

}  // namespace ferr::domain::orgs
