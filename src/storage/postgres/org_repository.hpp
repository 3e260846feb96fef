#pragma once
/// OrgRepository on PostgreSQL: every change of an organization starts by locking its row
/// (lock_org), which serialises the changes of one organization across instances; changes that
/// depend on stored state read it after that lock and ask role.hpp's rules: two round trips,
/// BEGIN + lock + read | writes + COMMIT (docs/postgres.md, "Round trips").

#include "domain/orgs/org_repository.hpp"
#include "storage/postgres/database.hpp"

namespace ferr::storage::postgres {

class PgOrgRepository final : public domain::orgs::OrgRepository {
 public:
  explicit PgOrgRepository(Database& db) : db_(db) {}

  core::Task<core::Result<domain::orgs::OrgView>> create_org(
      const core::OrgId& id, const std::string& slug, const std::string& name,
      const core::UserId& owner, const domain::orgs::AuditRecord& audit) override;
  core::Task<core::Result<std::vector<domain::orgs::OrgView>>> orgs_of(
      const core::UserId& user) override;
  core::Task<core::Result<domain::orgs::OrgLookup>> org_for_member(
      const std::string& slug, const domain::accounts::Principal& principal) override;
  core::Task<core::Result<domain::orgs::OrgTokenLookup>> org_for_token(
      const core::ApiTokenId& token, const std::optional<std::string>& slug) override;
  core::Task<core::Result<domain::orgs::OrgView>> update_org(
      const core::OrgId& org_id, domain::orgs::Role viewer_role,
      const std::optional<std::string>& name, const std::optional<std::string>& slug,
      const domain::orgs::AuditRecord& audit) override;
  core::Task<core::Result<std::vector<domain::orgs::Member>>> members(
      const core::OrgId& org_id) override;
  core::Task<core::Result<domain::orgs::Member>> add_member(
      const core::OrgId& org_id, const std::string& email, domain::orgs::Role role,
      domain::orgs::AuditRecord audit) override;
  core::Task<core::Result<domain::orgs::Member>> change_role(
      const core::OrgId& org_id, const core::UserId& user, domain::orgs::Role wanted,
      domain::orgs::Role actor_role, domain::orgs::AuditRecord audit) override;
  core::Task<core::Result<void>> remove_member(const core::OrgId& org_id, const core::UserId& user,
                                               domain::orgs::Role actor_role,
                                               domain::orgs::AuditRecord audit) override;
  core::Task<core::Result<void>> set_telemetry_opt_out(
      const core::OrgId& org_id, bool opt_out, const domain::orgs::AuditRecord& audit) override;
  core::Task<core::Result<std::vector<domain::orgs::Membership>>> memberships_of(
      const core::UserId& user) override;
  core::Task<core::Result<std::vector<domain::orgs::OrgAuditRecord>>> audit_by_actor(
      const core::UserId& user) override;
  core::Task<core::Result<std::vector<domain::orgs::AuditRecord>>> audit_log(
      const core::OrgId& org_id, int limit,
      const std::optional<core::AuditEntryId>& before) override;

 private:
  Database& db_;
};

}  // namespace ferr::storage::postgres
