#pragma once
/// SubscriptionRepository on PostgreSQL: activation, re-tiering and cancelling lock the org and
/// the (organization, product) row they decide on, ask subscription_rules.hpp, and write with
/// the audit row: two round trips, BEGIN + locks + read | writes + COMMIT (docs/postgres.md).

#include "domain/subscriptions/subscription_repository.hpp"
#include "storage/postgres/database.hpp"

namespace ferr::storage::postgres {

class PgSubscriptionRepository final : public domain::subscriptions::SubscriptionRepository {
 public:
  explicit PgSubscriptionRepository(Database& db) : db_(db) {}

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

}  // namespace ferr::storage::postgres
