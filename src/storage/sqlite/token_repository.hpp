#pragma once
/// TokenRepository on SQLite: each method is one job on the database's pool (a read, or one
/// IMMEDIATE transaction).

#include "domain/tokens/token_repository.hpp"
#include "storage/sqlite/database.hpp"

namespace ferr::storage::sqlite {

class SqliteTokenRepository final : public domain::tokens::TokenRepository {
 public:
  explicit SqliteTokenRepository(Database& db) : db_(db) {}

  core::Task<core::Result<std::optional<domain::tokens::PresentedToken>>> find_by_hash(
      const std::string& hash) override;
  core::Task<core::Result<void>> record_use(const core::ApiTokenId& id, core::TimePoint now,
                                            core::TimePoint not_since) override;
  core::Task<core::Result<domain::tokens::TokenOutcome>> create_personal(
      const domain::accounts::Principal& principal, const domain::tokens::NewToken& token,
      core::TimePoint now) override;
  core::Task<core::Result<std::optional<std::vector<domain::tokens::ApiToken>>>> personal_tokens(
      const domain::accounts::Principal& principal, core::TimePoint now) override;
  core::Task<core::Result<domain::tokens::TokenOutcome>> revoke_personal(
      const domain::accounts::Principal& principal, const core::ApiTokenId& id,
      core::TimePoint now) override;
  core::Task<core::Result<domain::tokens::ApiToken>> create_for_org(
      const core::OrgId& org_id, const domain::tokens::NewToken& token,
      const domain::orgs::AuditRecord& audit, core::TimePoint now) override;
  core::Task<core::Result<std::vector<domain::tokens::ApiToken>>> org_tokens(
      const core::OrgId& org_id) override;
  core::Task<core::Result<bool>> revoke_for_org(const core::OrgId& org_id,
                                                const core::ApiTokenId& id,
                                                const domain::orgs::AuditRecord& audit,
                                                core::TimePoint now) override;

 private:
  Database& db_;
};

}  // namespace ferr::storage::sqlite
