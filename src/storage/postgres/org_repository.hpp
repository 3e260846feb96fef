#pragma once
/// OrgRepository on PostgreSQL: every change of an organization starts by locking its row, which
/// serialises the changes of one organization across instances (migrations/README.md).

#include "domain/orgs/org_repository.hpp"
#include "storage/postgres/database.hpp"

namespace ferr::storage::postgres {

class PgOrgRepository final : public domain::orgs::OrgRepository {
 public:
  explicit PgOrgRepository(Database& db) : db_(db) {}

  core::Result<domain::orgs::OrgView> create_org(const core::Uuid& id, const std::string& slug,
                                                 const std::string& name, const core::Uuid& owner,
                                                 const domain::orgs::AuditRecord& audit) override;
  core::Result<std::vector<domain::orgs::OrgView>> orgs_of(const core::Uuid& user) override;
  core::Result<std::optional<domain::orgs::OrgView>> org_for_member(
      const std::string& slug, const core::Uuid& user) override;
  core::Result<domain::orgs::OrgView> update_org(const core::Uuid& org_id, const core::Uuid& viewer,
                                                 const std::optional<std::string>& name,
                                                 const std::optional<std::string>& slug,
                                                 const domain::orgs::AuditRecord& audit) override;
  core::Result<std::vector<domain::orgs::Member>> members(const core::Uuid& org_id) override;
  core::Result<domain::orgs::Member> add_member(const core::Uuid& org_id, const std::string& email,
                                                domain::orgs::Role role,
                                                domain::orgs::AuditRecord audit) override;
  core::Result<domain::orgs::Member> change_role(const core::Uuid& org_id, const core::Uuid& user,
                                                 domain::orgs::Role role,
                                                 const domain::orgs::RoleCheck& check,
                                                 domain::orgs::AuditRecord audit) override;
  core::Result<void> remove_member(const core::Uuid& org_id, const core::Uuid& user,
                                   const domain::orgs::RoleCheck& check,
                                   domain::orgs::AuditRecord audit) override;
  core::Result<void> set_telemetry_opt_out(const core::Uuid& org_id, bool opt_out,
                                           const domain::orgs::AuditRecord& audit) override;
  core::Result<std::vector<domain::orgs::AuditRecord>> audit_log(
      const core::Uuid& org_id, int limit, const std::optional<core::Uuid>& before) override;

 private:
  Database& db_;
};

}  // namespace ferr::storage::postgres
