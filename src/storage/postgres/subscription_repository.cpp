#include "storage/postgres/subscription_repository.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/stored_value.hpp"
#include "core/try.hpp"
#include "domain/subscriptions/subscription_rules.hpp"
#include "storage/postgres/audit_writer.hpp"
#include "storage/postgres/codec.hpp"
#include "storage/postgres/statements.hpp"

namespace ferr::storage::postgres {

using core::Error;
using core::fail;
using core::Result;
using core::Task;
namespace orgs = domain::orgs;
namespace subscriptions = domain::subscriptions;

namespace {

/// subscriptions_of's columns; an enum value the code does not know fails loudly.
Result<subscriptions::Subscription> read_subscription(const QueryResult& rows, int row) {
  subscriptions::Subscription s;
  FERR_TRY(s.id, read_id<core::SubscriptionId>(rows, row, 0));
  FERR_TRY(auto product, rows.string(row, 1));
  FERR_TRY(s.product, core::known_stored_value(subscriptions::parse_product(product),
                                               "subscriptions.product", product));
  FERR_TRY(auto tier, rows.string(row, 2));
  FERR_TRY(s.tier,
           core::known_stored_value(subscriptions::parse_tier(tier), "subscriptions.tier", tier));
  FERR_TRY(auto status, rows.string(row, 3));
  FERR_TRY(s.status, core::known_stored_value(subscriptions::parse_status(status),
                                              "subscriptions.status", status));
  FERR_TRY(s.created_at, read_time(rows, row, 4));
  FERR_TRY(s.updated_at, read_time(rows, row, 5));
  FERR_TRY(s.canceled_at, read_optional_time(rows, row, 6));
  return s;
}

/// The one row a write returned (RETURNING of a statement whose row is locked).
Result<subscriptions::Subscription> only_row(const QueryResult& rows) {
  if (rows.rows() != 1)
    return fail(Error::database("subscription row vanished inside its transaction"));
  return read_subscription(rows, 0);
}

/// BEGIN + lock_org + lock_subscription: the first round trip of every change. lock_org first,
/// as in every transaction that writes an audit row for the org; then the row the rules decide
/// on, locked until commit (nullopt when the product never had one).
Task<Result<std::optional<subscriptions::Subscription>>> lock_row(Transaction& tx,
                                                                  const core::OrgId& org_id,
                                                                  subscriptions::Product product) {
  std::vector<Statement> reads;
  reads.push_back(lock_org(org_id));
  reads.push_back(
      {sql::lock_subscription, {org_id.to_string(), subscriptions::product_name(product)}});
  FERR_CO_TRY(auto read, co_await tx.pipeline(std::move(reads)));
  if (read[1].rows() == 0) co_return std::optional<subscriptions::Subscription>{};
  FERR_CO_TRY(auto row, read_subscription(read[1], 0));
  co_return std::optional<subscriptions::Subscription>{row};
}

}  // namespace

Task<Result<std::vector<subscriptions::Subscription>>> PgSubscriptionRepository::subscriptions(
    const core::OrgId& org_id) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::subscriptions_of, org_id.to_string()));
  std::vector<subscriptions::Subscription> out;
  out.reserve(static_cast<std::size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) {
    FERR_CO_TRY(auto row, read_subscription(rows, i));
    out.push_back(row);
  }
  co_return out;
}

Task<Result<subscriptions::Subscription>> PgSubscriptionRepository::activate(
    const core::OrgId& org_id, const core::SubscriptionId& new_id, subscriptions::Product product,
    subscriptions::Tier tier, const orgs::AuditRecord& audit) {
  auto body = [&](Transaction& tx) -> Task<Result<subscriptions::Subscription>> {
    FERR_CO_TRY(auto stored, co_await lock_row(tx, org_id, product));
    FERR_CO_CHECK(subscriptions::plan_activation(stored));
    // Inserts the row, or reactivates the canceled one in place (keeping its id and created_at).
    std::vector<Statement> writes;
    writes.push_back({sql::activate_subscription,
                      {new_id.to_string(), org_id.to_string(), subscriptions::product_name(product),
                       subscriptions::tier_name(tier), to_ms(audit.created_at)}});
    writes.push_back(insert_audit(org_id, audit));
    FERR_CO_TRY(auto written, co_await tx.commit_with(std::move(writes)));
    co_return only_row(written[0]);
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<subscriptions::TierChange>> PgSubscriptionRepository::change_tier(
    const core::OrgId& org_id, subscriptions::Product product, subscriptions::Tier tier,
    orgs::AuditRecord audit) {
  auto body = [&](Transaction& tx) -> Task<Result<subscriptions::TierChange>> {
    FERR_CO_TRY(auto stored, co_await lock_row(tx, org_id, product));
    FERR_CO_TRY(auto plan, subscriptions::plan_tier_change(stored, tier));
    if (!plan.changes)
      co_return subscriptions::TierChange{*stored, plan.from};  // no write, no audit
    audit.metadata = std::move(plan.audit_metadata);
    std::vector<Statement> writes;
    writes.push_back({sql::change_tier,
                      {subscriptions::tier_name(tier), to_ms(audit.created_at), org_id.to_string(),
                       subscriptions::product_name(product)}});
    writes.push_back(insert_audit(org_id, audit));
    FERR_CO_TRY(auto written, co_await tx.commit_with(std::move(writes)));
    FERR_CO_TRY(auto changed, only_row(written[0]));
    co_return subscriptions::TierChange{changed, plan.from};
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<subscriptions::Subscription>> PgSubscriptionRepository::cancel(
    const core::OrgId& org_id, subscriptions::Product product, orgs::AuditRecord audit) {
  auto body = [&](Transaction& tx) -> Task<Result<subscriptions::Subscription>> {
    FERR_CO_TRY(auto stored, co_await lock_row(tx, org_id, product));
    FERR_CO_TRY(audit.metadata, subscriptions::plan_cancel(stored));
    std::vector<Statement> writes;
    writes.push_back(
        {sql::cancel_subscription,
         {to_ms(audit.created_at), org_id.to_string(), subscriptions::product_name(product)}});
    writes.push_back(insert_audit(org_id, audit));
    FERR_CO_TRY(auto written, co_await tx.commit_with(std::move(writes)));
    co_return only_row(written[0]);
  };
  co_return co_await in_transaction(db_.pool(), body);
}

}  // namespace ferr::storage::postgres
