#include "storage/sqlite/subscription_repository.hpp"

#include <string>
#include <string_view>

#include "core/try.hpp"
#include "domain/subscriptions/subscription_rules.hpp"
#include "storage/sqlite/audit_writer.hpp"
#include "storage/sqlite/codec.hpp"

namespace ferr::storage::sqlite {

using core::fail;
using core::OrgId;
using core::Result;
using core::Task;
namespace orgs = domain::orgs;
namespace subscriptions = domain::subscriptions;

namespace {

constexpr std::string_view kColumns =
    "SELECT id, product, tier, status, created_at, updated_at, canceled_at FROM subscriptions ";
const std::string kOfOrg = std::string(kColumns) + "WHERE org_id = ? ORDER BY product";
const std::string kOne = std::string(kColumns) + "WHERE org_id = ? AND product = ?";

Result<subscriptions::Subscription> read_subscription(const Statement& row) {
  subscriptions::Subscription s;
  s.id = read_id<core::SubscriptionId>(row, 0);
  FERR_TRY(s.product, read_enum(row, 1, subscriptions::parse_product, "subscriptions.product"));
  FERR_TRY(s.tier, read_enum(row, 2, subscriptions::parse_tier, "subscriptions.tier"));
  FERR_TRY(s.status, read_enum(row, 3, subscriptions::parse_status, "subscriptions.status"));
  s.created_at = from_ms(row.column_int(4));
  s.updated_at = from_ms(row.column_int(5));
  if (!row.column_is_null(6)) s.canceled_at = from_ms(row.column_int(6));
  return s;
}

/// The (organization, product) row, read inside the changing transaction (whose IMMEDIATE lock
/// already excludes every other writer).
Result<std::optional<subscriptions::Subscription>> select_one(Connection& c, const OrgId& org_id,
                                                              subscriptions::Product product) {
  FERR_TRY(auto q, c.query(kOne));
  q->bind(1, org_id).bind(2, subscriptions::product_name(product));
  FERR_TRY(bool found, q->step());
  if (!found) return std::optional<subscriptions::Subscription>{};
  FERR_TRY(auto row, read_subscription(*q));
  return std::optional<subscriptions::Subscription>{row};
}

/// A time as it reads back from its column (whole milliseconds).
core::TimePoint as_stored(core::TimePoint t) { return from_ms(to_ms(t)); }

}  // namespace

Task<Result<std::vector<subscriptions::Subscription>>> SqliteSubscriptionRepository::subscriptions(
    const OrgId& org_id) {
  co_return co_await db_.read_async(
      [&](Connection& c) -> Result<std::vector<subscriptions::Subscription>> {
        FERR_TRY(auto q, c.query(kOfOrg));
        q->bind(1, org_id);
        std::vector<subscriptions::Subscription> out;
        for (;;) {
          FERR_TRY(bool row, q->step());
          if (!row) return out;
          FERR_TRY(auto s, read_subscription(*q));
          out.push_back(s);
        }
      });
}

Task<Result<subscriptions::Subscription>> SqliteSubscriptionRepository::activate(
    const OrgId& org_id, const core::SubscriptionId& new_id, subscriptions::Product product,
    subscriptions::Tier tier, const orgs::AuditRecord& audit) {
  co_return co_await db_.transaction_async([&](Connection& c)
                                               -> Result<subscriptions::Subscription> {
    FERR_TRY(auto stored, select_one(c, org_id, product));
    FERR_CHECK(subscriptions::plan_activation(stored));
    auto now = as_stored(audit.created_at);
    // A canceled row is reactivated in place: it keeps its id and created_at.
    subscriptions::Subscription row = stored.value_or(subscriptions::Subscription{
        new_id, product, tier, subscriptions::SubscriptionStatus::active, now, now, std::nullopt});
    row.tier = tier;
    row.status = subscriptions::SubscriptionStatus::active;
    row.updated_at = now;
    row.canceled_at.reset();
    FERR_TRY(auto q, stored ? c.query("UPDATE subscriptions SET tier = ?1, status = 'active', "
                                      "updated_at = ?2, canceled_at = NULL WHERE org_id = ?3 AND "
                                      "product = ?4")
                            : c.query("INSERT INTO subscriptions (tier, created_at, updated_at, "
                                      "org_id, product, id, status) VALUES (?1, ?2, ?2, ?3, ?4, "
                                      "?5, 'active')"));
    q->bind(1, subscriptions::tier_name(tier))
        .bind(2, to_ms(now))
        .bind(3, org_id)
        .bind(4, subscriptions::product_name(product));
    if (!stored) q->bind(5, new_id);
    FERR_CHECK(q->run());
    FERR_CHECK(write_audit(c, org_id, audit));
    return row;
  });
}

Task<Result<subscriptions::TierChange>> SqliteSubscriptionRepository::change_tier(
    const OrgId& org_id, subscriptions::Product product, subscriptions::Tier tier,
    orgs::AuditRecord audit) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<subscriptions::TierChange> {
    FERR_TRY(auto stored, select_one(c, org_id, product));
    FERR_TRY(auto plan, subscriptions::plan_tier_change(stored, tier));
    subscriptions::Subscription row = *stored;
    if (!plan.changes) return subscriptions::TierChange{row, plan.from};
    row.tier = tier;
    row.updated_at = as_stored(audit.created_at);
    FERR_TRY(auto q, c.query("UPDATE subscriptions SET tier = ?, updated_at = ? WHERE org_id = ? "
                             "AND product = ?"));
    q->bind(1, subscriptions::tier_name(tier))
        .bind(2, to_ms(row.updated_at))
        .bind(3, org_id)
        .bind(4, subscriptions::product_name(product));
    FERR_CHECK(q->run());
    audit.metadata = std::move(plan.audit_metadata);
    FERR_CHECK(write_audit(c, org_id, audit));
    return subscriptions::TierChange{row, plan.from};
  });
}

Task<Result<subscriptions::Subscription>> SqliteSubscriptionRepository::cancel(
    const OrgId& org_id, subscriptions::Product product, orgs::AuditRecord audit) {
  co_return co_await db_.transaction_async([&](Connection& c)
                                               -> Result<subscriptions::Subscription> {
    FERR_TRY(auto stored, select_one(c, org_id, product));
    FERR_TRY(audit.metadata, subscriptions::plan_cancel(stored));
    subscriptions::Subscription row = *stored;
    row.status = subscriptions::SubscriptionStatus::canceled;
    row.updated_at = as_stored(audit.created_at);
    row.canceled_at = row.updated_at;
    FERR_TRY(auto q, c.query("UPDATE subscriptions SET status = 'canceled', canceled_at = ?1, "
                             "updated_at = ?1 WHERE org_id = ?2 AND product = ?3"));
    q->bind(1, to_ms(row.updated_at)).bind(2, org_id).bind(3, subscriptions::product_name(product));
    FERR_CHECK(q->run());
    FERR_CHECK(write_audit(c, org_id, audit));
    return row;
  });
}

}  // namespace ferr::storage::sqlite
