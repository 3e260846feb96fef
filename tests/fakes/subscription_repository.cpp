#include "fakes/subscription_repository.hpp"

#include <algorithm>
#include <utility>

#include "core/try.hpp"
#include "domain/orgs/subscription_rules.hpp"

namespace ferr::fakes {

using core::OrgId;
using core::Result;
using core::Task;
namespace orgs = domain::orgs;

std::optional<orgs::Subscription> FakeSubscriptionRepository::stored(const OrgId& org_id,
                                                                     orgs::Product product) const {
  auto row = db_.subscriptions.find({org_id, product});
  if (row == db_.subscriptions.end()) return std::nullopt;
  return row->second;
}

Task<Result<std::vector<orgs::Subscription>>> FakeSubscriptionRepository::subscriptions(
    const OrgId& org_id) {
  auto body = [&]() -> Result<std::vector<orgs::Subscription>> {
    std::vector<orgs::Subscription> out;
    for (const auto& [key, row] : db_.subscriptions)
      if (key.first == org_id) out.push_back(row);
    // By product name, as the column sorts.
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return orgs::product_name(a.product) < orgs::product_name(b.product);
    });
    return out;
  };
  co_return co_await hooks.call<std::vector<orgs::Subscription>>("subscriptions", db_.mutex, body);
}

Task<Result<orgs::Subscription>> FakeSubscriptionRepository::activate(
    const OrgId& org_id, const core::SubscriptionId& new_id, orgs::Product product, orgs::Tier tier,
    const orgs::AuditRecord& audit) {
  auto body = [&]() -> Result<orgs::Subscription> {
    auto row = stored(org_id, product);
    FERR_CHECK(orgs::plan_activation(row));
    auto now = audit.created_at;
    // A canceled row is reactivated in place: it keeps its id and created_at.
    orgs::Subscription next = row.value_or(orgs::Subscription{
        new_id, product, tier, orgs::SubscriptionStatus::active, now, now, std::nullopt});
    next.tier = tier;
    next.status = orgs::SubscriptionStatus::active;
    next.updated_at = now;
    next.canceled_at.reset();
    db_.subscriptions[{org_id, product}] = next;
    db_.audit_log.push_back(AuditRow{org_id, audit});
    return next;
  };
  co_return co_await hooks.call<orgs::Subscription>("activate", db_.mutex, body);
}

Task<Result<orgs::TierChange>> FakeSubscriptionRepository::change_tier(const OrgId& org_id,
                                                                       orgs::Product product,
                                                                       orgs::Tier tier,
                                                                       orgs::AuditRecord audit) {
  auto body = [&]() -> Result<orgs::TierChange> {
    auto row = stored(org_id, product);
    FERR_TRY(auto plan, orgs::plan_tier_change(row, tier));
    if (!plan.changes) return orgs::TierChange{std::move(*row), plan.from};
    row->tier = tier;
    row->updated_at = audit.created_at;
    db_.subscriptions[{org_id, product}] = *row;
    audit.metadata = std::move(plan.audit_metadata);
    db_.audit_log.push_back(AuditRow{org_id, std::move(audit)});
    return orgs::TierChange{std::move(*row), plan.from};
  };
  co_return co_await hooks.call<orgs::TierChange>("change_tier", db_.mutex, body);
}

Task<Result<orgs::Subscription>> FakeSubscriptionRepository::cancel(const OrgId& org_id,
                                                                    orgs::Product product,
                                                                    orgs::AuditRecord audit) {
  auto body = [&]() -> Result<orgs::Subscription> {
    auto row = stored(org_id, product);
    FERR_TRY(audit.metadata, orgs::plan_cancel(row));
    row->status = orgs::SubscriptionStatus::canceled;
    row->updated_at = audit.created_at;
    row->canceled_at = row->updated_at;
    db_.subscriptions[{org_id, product}] = *row;
    db_.audit_log.push_back(AuditRow{org_id, std::move(audit)});
    return std::move(*row);
  };
  co_return co_await hooks.call<orgs::Subscription>("cancel", db_.mutex, body);
}

}  // namespace ferr::fakes
