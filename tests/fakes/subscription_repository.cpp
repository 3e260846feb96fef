#include "fakes/subscription_repository.hpp"

#include <algorithm>
#include <utility>

#include "core/try.hpp"
#include "domain/subscriptions/subscription_rules.hpp"

namespace ferr::fakes {

using core::OrgId;
using core::Result;
using core::Task;
namespace orgs = domain::orgs;
namespace subscriptions = domain::subscriptions;

std::optional<subscriptions::Subscription> FakeSubscriptionRepository::stored(
    const OrgId& org_id, subscriptions::Product product) const {
  auto row = db_.subscriptions.find({org_id, product});
  if (row == db_.subscriptions.end()) return std::nullopt;
  return row->second;
}

Task<Result<std::vector<subscriptions::Subscription>>> FakeSubscriptionRepository::subscriptions(
    const OrgId& org_id) {
  auto body = [&]() -> Result<std::vector<subscriptions::Subscription>> {
    std::vector<subscriptions::Subscription> out;
    for (const auto& [key, row] : db_.subscriptions)
      if (key.first == org_id) out.push_back(row);
    // By product name, as the column sorts.
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return subscriptions::product_name(a.product) < subscriptions::product_name(b.product);
    });
    return out;
  };
  co_return co_await hooks.call<std::vector<subscriptions::Subscription>>("subscriptions",
                                                                          db_.mutex, body);
}

Task<Result<subscriptions::Subscription>> FakeSubscriptionRepository::activate(
    const OrgId& org_id, const core::SubscriptionId& new_id, subscriptions::Product product,
    subscriptions::Tier tier, const orgs::AuditRecord& audit) {
  auto body = [&]() -> Result<subscriptions::Subscription> {
    auto row = stored(org_id, product);
    FERR_CHECK(subscriptions::plan_activation(row));
    auto now = audit.created_at;
    // A canceled row is reactivated in place: it keeps its id and created_at.
    subscriptions::Subscription next = row.value_or(subscriptions::Subscription{
        new_id, product, tier, subscriptions::SubscriptionStatus::active, now, now, std::nullopt});
    next.tier = tier;
    next.status = subscriptions::SubscriptionStatus::active;
    next.updated_at = now;
    next.canceled_at.reset();
    db_.subscriptions[{org_id, product}] = next;
    db_.audit_log.push_back(AuditRow{org_id, audit});
    return next;
  };
  co_return co_await hooks.call<subscriptions::Subscription>("activate", db_.mutex, body);
}

Task<Result<subscriptions::TierChange>> FakeSubscriptionRepository::change_tier(
    const OrgId& org_id, subscriptions::Product product, subscriptions::Tier tier,
    orgs::AuditRecord audit) {
  auto body = [&]() -> Result<subscriptions::TierChange> {
    auto row = stored(org_id, product);
    FERR_TRY(auto plan, subscriptions::plan_tier_change(row, tier));
    if (!plan.changes) return subscriptions::TierChange{std::move(*row), plan.from};
    row->tier = tier;
    row->updated_at = audit.created_at;
    db_.subscriptions[{org_id, product}] = *row;
    audit.metadata = std::move(plan.audit_metadata);
    db_.audit_log.push_back(AuditRow{org_id, std::move(audit)});
    return subscriptions::TierChange{std::move(*row), plan.from};
  };
  co_return co_await hooks.call<subscriptions::TierChange>("change_tier", db_.mutex, body);
}

Task<Result<subscriptions::Subscription>> FakeSubscriptionRepository::cancel(
    const OrgId& org_id, subscriptions::Product product, orgs::AuditRecord audit) {
  auto body = [&]() -> Result<subscriptions::Subscription> {
    auto row = stored(org_id, product);
    FERR_TRY(audit.metadata, subscriptions::plan_cancel(row));
    row->status = subscriptions::SubscriptionStatus::canceled;
    row->updated_at = audit.created_at;
    row->canceled_at = row->updated_at;
    db_.subscriptions[{org_id, product}] = *row;
    db_.audit_log.push_back(AuditRow{org_id, std::move(audit)});
    return std::move(*row);
  };
  co_return co_await hooks.call<subscriptions::Subscription>("cancel", db_.mutex, body);
}

}  // namespace ferr::fakes
