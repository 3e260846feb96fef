#pragma once
/// SubscriptionRepository on PostgreSQL: activation is one upsert, re-tiering and cancelling
/// lock the row they change (migrations/README.md).

#include "domain/orgs/subscription_repository.hpp"
#include "storage/postgres/database.hpp"

namespace ferr::storage::postgres {

class PgSubscriptionRepository final : public domain::orgs::SubscriptionRepository {
 public:
  explicit PgSubscriptionRepository(Database& db) : db_(db) {}

  core::Result<std::vector<domain::orgs::Subscription>> subscriptions(
      const core::Uuid& org_id) override;
  core::Result<domain::orgs::Subscription> activate(
      const core::Uuid& org_id, const core::Uuid& new_id, domain::orgs::Product product,
      domain::orgs::Tier tier, const domain::orgs::AuditRecord& audit) override;
  core::Result<domain::orgs::TierChange> change_tier(const core::Uuid& org_id,
                                                     domain::orgs::Product product,
                                                     domain::orgs::Tier tier,
                                                     domain::orgs::AuditRecord audit) override;
  core::Result<domain::orgs::Subscription> cancel(const core::Uuid& org_id,
                                                  domain::orgs::Product product,
                                                  domain::orgs::AuditRecord audit) override;

 private:
  Database& db_;
};

}  // namespace ferr::storage::postgres
