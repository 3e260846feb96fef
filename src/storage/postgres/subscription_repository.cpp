#include "storage/postgres/subscription_repository.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/postgres/audit_writer.hpp"
#include "storage/postgres/codec.hpp"

namespace ferr::storage::postgres {

using boost::asio::awaitable;
using core::Error;
using core::ErrorCode;
using core::fail;
using core::Result;
using core::Uuid;
namespace orgs = domain::orgs;

namespace {

// The columns every statement below returns, in the order read_subscription reads them.
constexpr std::string_view kColumns =
    "id, product, tier, status, ts_to_ms(created_at), ts_to_ms(updated_at), "
    "ts_to_ms(canceled_at)";

// Statement `activate-subscription` of migrations/README.md: $1 new id, $2 org, $3 product,
// $4 tier, $5 now (ms). A canceled row is reactivated in place (keeps its id and created_at); a
// live row is left alone and nothing is returned.
constexpr std::string_view kActivate =
    "INSERT INTO subscriptions AS s (id, org_id, product, tier, status, created_at, updated_at)\n"
    "VALUES ($1, $2, $3, $4, 'active', ms_to_ts($5), ms_to_ts($5))\n"
    "ON CONFLICT (org_id, product) DO UPDATE\n"
    "SET tier = EXCLUDED.tier,\n"
    "    status = 'active',\n"
    "    updated_at = EXCLUDED.updated_at,\n"
    "    canceled_at = NULL\n"
    "WHERE s.status = 'canceled'\n"
    "RETURNING s.id, s.product, s.tier, s.status,\n"
    "          ts_to_ms(s.created_at), ts_to_ms(s.updated_at), ts_to_ms(s.canceled_at)";

// Statement `lock-subscription` of migrations/README.md: the row a re-tier or cancel decides on,
// locked so a concurrent one waits and then sees the outcome.
constexpr std::string_view kLockSubscription =
    "SELECT id, product, tier, status,\n"
    "       ts_to_ms(created_at), ts_to_ms(updated_at), ts_to_ms(canceled_at)\n"
    "FROM subscriptions\n"
    "WHERE org_id = $1\n"
    "  AND product = $2\n"
    "FOR UPDATE";

std::string statement(std::string_view head, std::string_view tail) {
  std::string sql(head);
  sql += tail;
  return sql;
}

const std::string kList = statement(statement("SELECT ", kColumns),
                                    " FROM subscriptions WHERE org_id = $1 ORDER BY product");
const std::string kChangeTier = statement(
    "UPDATE subscriptions SET tier = $1, updated_at = ms_to_ts($2) "
    "WHERE org_id = $3 AND product = $4 RETURNING ",
    kColumns);
const std::string kCancel = statement(
    "UPDATE subscriptions SET status = 'canceled', canceled_at = ms_to_ts($1), "
    "updated_at = ms_to_ts($1) WHERE org_id = $2 AND product = $3 RETURNING ",
    kColumns);

Result<orgs::Subscription> read_subscription(const QueryResult& rows, int row) {
  orgs::Subscription s;
  std::string text;
  FERR_PG_READ(s.id, read_uuid(rows, row, 0));
  FERR_PG_READ(text, rows.string(row, 1));
  s.product = orgs::parse_product(text).value_or(orgs::Product::ferrflow);
  FERR_PG_READ(text, rows.string(row, 2));
  s.tier = orgs::parse_tier(text).value_or(orgs::Tier::free);
  FERR_PG_READ(text, rows.string(row, 3));
  s.status = orgs::parse_status(text).value_or(orgs::SubscriptionStatus::canceled);
  FERR_PG_READ(s.created_at, read_time(rows, row, 4));
  FERR_PG_READ(s.updated_at, read_time(rows, row, 5));
  FERR_PG_READ(s.canceled_at, read_optional_time(rows, row, 6));
  return s;
}

/// The one row a statement returned (RETURNING of an UPDATE that matched).
Result<orgs::Subscription> only_row(const QueryResult& rows) {
  if (rows.rows() != 1)
    return fail(Error::database("subscription row vanished inside its transaction"));
  return read_subscription(rows, 0);
}

/// The live subscription of `product`, locked until commit, or SUBSCRIPTION_NOT_FOUND. Starts
/// with lock-org: every transaction that writes an audit row for the org does.
awaitable<Result<orgs::Subscription>> lock_live(Connection& c, const Uuid& org_id,
                                                orgs::Product product) {
  FERR_PG_DO(co_await lock_org(c, org_id));
  FERR_PG_TRY(rows,
              co_await c.query(kLockSubscription, org_id.to_string(), orgs::product_name(product)));
  std::optional<orgs::Subscription> found;
  if (rows.rows() > 0) {
    FERR_PG_TRY(row, read_subscription(rows, 0));
    found = row;
  }
  if (!found || !found->live())
    co_return fail(
        Error::make(ErrorCode::subscription_not_found, "no live subscription for this product"));
  co_return *found;
}

}  // namespace

Result<std::vector<orgs::Subscription>> PgSubscriptionRepository::subscriptions(
    const Uuid& org_id) {
  return db_.run<std::vector<orgs::Subscription>>(
      [&]() -> awaitable<Result<std::vector<orgs::Subscription>>> {
        FERR_PG_TRY(rows, co_await db_.pool().query(kList, org_id.to_string()));
        std::vector<orgs::Subscription> out;
        out.reserve(static_cast<std::size_t>(rows.rows()));
        for (int i = 0; i < rows.rows(); ++i) {
          FERR_PG_TRY(row, read_subscription(rows, i));
          out.push_back(row);
        }
        co_return out;
      });
}

Result<orgs::Subscription> PgSubscriptionRepository::activate(const Uuid& org_id,
                                                              const Uuid& new_id,
                                                              orgs::Product product,
                                                              orgs::Tier tier,
                                                              const orgs::AuditRecord& audit) {
  return db_.transaction<orgs::Subscription>(
      [&](Connection& c) -> awaitable<Result<orgs::Subscription>> {
        FERR_PG_DO(co_await lock_org(c, org_id));
        // One upsert decides: no "is it live?" read that a concurrent activation could outdate.
        FERR_PG_TRY(rows, co_await c.query(kActivate, new_id.to_string(), org_id.to_string(),
                                           orgs::product_name(product), orgs::tier_name(tier),
                                           to_ms(audit.created_at)));
        if (rows.rows() == 0)
          co_return fail(Error::make(ErrorCode::subscription_already_active,
                                     "this product is already active for the organization"));
        FERR_PG_TRY(activated, read_subscription(rows, 0));
        FERR_PG_DO(co_await write_audit(c, org_id, audit));
        co_return activated;
      });
}

Result<orgs::TierChange> PgSubscriptionRepository::change_tier(const Uuid& org_id,
                                                               orgs::Product product,
                                                               orgs::Tier tier,
                                                               orgs::AuditRecord audit) {
  return db_.transaction<orgs::TierChange>(
      [&](Connection& c) -> awaitable<Result<orgs::TierChange>> {
        FERR_PG_TRY(live, co_await lock_live(c, org_id, product));
        if (live.tier == tier) co_return orgs::TierChange{live, tier};  // no change, no audit
        FERR_PG_TRY(rows,
                    co_await c.query(kChangeTier, orgs::tier_name(tier), to_ms(audit.created_at),
                                     org_id.to_string(), orgs::product_name(product)));
        FERR_PG_TRY(changed, only_row(rows));
        std::string metadata = "{\"from\":\"";
        metadata += orgs::tier_name(live.tier);
        metadata += "\",\"to\":\"";
        metadata += orgs::tier_name(tier);
        metadata += "\"}";
        audit.metadata = std::move(metadata);
        FERR_PG_DO(co_await write_audit(c, org_id, audit));
        co_return orgs::TierChange{changed, live.tier};
      });
}

Result<orgs::Subscription> PgSubscriptionRepository::cancel(const Uuid& org_id,
                                                            orgs::Product product,
                                                            orgs::AuditRecord audit) {
  return db_.transaction<orgs::Subscription>(
      [&](Connection& c) -> awaitable<Result<orgs::Subscription>> {
        FERR_PG_TRY(live, co_await lock_live(c, org_id, product));
        FERR_PG_TRY(rows, co_await c.query(kCancel, to_ms(audit.created_at), org_id.to_string(),
                                           orgs::product_name(product)));
        FERR_PG_TRY(canceled, only_row(rows));
        std::string metadata = "{\"tier\":\"";
        metadata += orgs::tier_name(live.tier);
        metadata += "\"}";
        audit.metadata = std::move(metadata);
        FERR_PG_DO(co_await write_audit(c, org_id, audit));
        co_return canceled;
      });
}

}  // namespace ferr::storage::postgres
