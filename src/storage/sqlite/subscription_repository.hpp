#pragma once
/// SubscriptionRepository on SQLite: every change is one IMMEDIATE transaction that reads the
/// (organization, product) row, asks the rule in subscription_rules.hpp and writes what it
/// answers, run on the database's own threads in one hop.

#include "domain/subscriptions/subscription_repository.hpp"
#include "storage/sqlite/database.hpp"

namespace ferr::storage::sqlite {

class SqliteSubscriptionRepository final : public domain::subscriptions::SubscriptionRepository {
 public:
  explicit SqliteSubscriptionRepository(Database& db) : db_(db) {}

  core::Task<core::Result<std::vector<domain::subscriptions::Subscription>>> subscriptions(
      const core::OrgId& org_id) override;
  core::Task<core::Result<domain::subscriptions::Subscription>> activate(
      const core::OrgId& org_id, const core::SubscriptionId& new_id,
      domain::subscriptions::Product product, domain::subscriptions::Tier tier,
      const domain::orgs::AuditRecord& audit) override;
  core::Task<core::Result<domain::subscriptions::TierChange>> change_tier(
      const core::OrgId& org_id, domain::subscriptions::Product product,
      domain::subscriptions::Tier tier, domain::orgs::AuditRecord audit) override;
  core::Task<core::Result<domain::subscriptions::Subscription>> cancel(
      const core::OrgId& org_id, domain::subscriptions::Product product,
      domain::orgs::AuditRecord audit) override;

 private:
  Database& db_;
};

}  // namespace ferr::storage::sqlite
