#include "storage/sqlite/subscription_repository.hpp"

#include "storage/sqlite/audit_writer.hpp"
#include "storage/sqlite/codec.hpp"

namespace ferr::storage::sqlite {

using core::Error;
using core::ErrorCode;
using core::fail;
using core::Result;
using core::Uuid;
namespace orgs = domain::orgs;

namespace {

constexpr std::string_view kSelect =
    "SELECT id, product, tier, status, created_at, updated_at, canceled_at FROM subscriptions ";

orgs::Subscription read_subscription(const Statement& row) {
  orgs::Subscription s;
  s.id = read_uuid(row, 0);
  s.product = orgs::parse_product(row.column_text(1)).value_or(orgs::Product::ferrflow);
  s.tier = orgs::parse_tier(row.column_text(2)).value_or(orgs::Tier::free);
  s.status = orgs::parse_status(row.column_text(3)).value_or(orgs::SubscriptionStatus::canceled);
  s.created_at = from_ms(row.column_int(4));
  s.updated_at = from_ms(row.column_int(5));
  if (!row.column_is_null(6)) s.canceled_at = from_ms(row.column_int(6));
  return s;
}

Result<std::optional<orgs::Subscription>> select_one(Connection& c, const Uuid& org_id,
                                                     orgs::Product product) {
  auto q = c.query(std::string(kSelect) + "WHERE org_id = ? AND product = ?");
  if (!q) return fail(q.error());
  (*q)->bind(1, org_id.to_string()).bind(2, orgs::product_name(product));
  auto row = (*q)->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<orgs::Subscription>{};
  return std::optional<orgs::Subscription>{read_subscription(**q)};
}

/// The live subscription of `product`, or SUBSCRIPTION_NOT_FOUND.
Result<orgs::Subscription> select_live(Connection& c, const Uuid& org_id, orgs::Product product) {
  auto row = select_one(c, org_id, product);
  if (!row) return fail(row.error());
  if (!*row || !(*row)->live())
    return fail(
        Error::make(ErrorCode::subscription_not_found, "no live subscription for this product"));
  return **row;
}

Result<orgs::Subscription> reread(Connection& c, const Uuid& org_id, orgs::Product product) {
  auto row = select_one(c, org_id, product);
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::database("subscription row vanished inside its transaction"));
  return **row;
}

}  // namespace

Result<std::vector<orgs::Subscription>> SqliteSubscriptionRepository::subscriptions(
    const Uuid& org_id) {
  return db_.read([&](Connection& c) -> Result<std::vector<orgs::Subscription>> {
    auto q = c.query(std::string(kSelect) + "WHERE org_id = ? ORDER BY product");
    if (!q) return fail(q.error());
    (*q)->bind(1, org_id.to_string());
    std::vector<orgs::Subscription> out;
    for (;;) {
      auto row = (*q)->step();
      if (!row) return fail(row.error());
      if (!*row) return out;
      out.push_back(read_subscription(**q));
    }
  });
}

Result<orgs::Subscription> SqliteSubscriptionRepository::activate(const Uuid& org_id,
                                                                  const Uuid& new_id,
                                                                  orgs::Product product,
                                                                  orgs::Tier tier,
                                                                  const orgs::AuditRecord& audit) {
  return in_transaction(db_, [&](Connection& c) -> Result<orgs::Subscription> {
    auto existing = select_one(c, org_id, product);
    if (!existing) return fail(existing.error());
    if (*existing && (*existing)->live())
      return fail(Error::make(ErrorCode::subscription_already_active,
                              "this product is already active for the organization"));
    auto now = to_ms(audit.created_at);
    // A canceled row is reactivated in place: it keeps its id and created_at.
    auto q = *existing ? c.query(
                             "UPDATE subscriptions SET tier = ?1, status = 'active', updated_at = "
                             "?2, canceled_at = NULL WHERE org_id = ?3 AND product = ?4")
                       : c.query(
                             "INSERT INTO subscriptions (tier, created_at, updated_at, org_id, "
                             "product, id, status) VALUES (?1, ?2, ?2, ?3, ?4, ?5, 'active')");
    if (!q) return fail(q.error());
    (*q)->bind(1, orgs::tier_name(tier))
        .bind(2, now)
        .bind(3, org_id.to_string())
        .bind(4, orgs::product_name(product));
    if (!*existing) (*q)->bind(5, new_id.to_string());
    if (auto r = (*q)->run(); !r) return fail(r.error());
    if (auto r = write_audit(c, org_id, audit); !r) return fail(r.error());
    return reread(c, org_id, product);
  });
}

Result<orgs::TierChange> SqliteSubscriptionRepository::change_tier(const Uuid& org_id,
                                                                   orgs::Product product,
                                                                   orgs::Tier tier,
                                                                   orgs::AuditRecord audit) {
  return in_transaction(db_, [&](Connection& c) -> Result<orgs::TierChange> {
    auto live = select_live(c, org_id, product);
    if (!live) return fail(live.error());
    if (live->tier == tier) return orgs::TierChange{*live, tier};  // no change, no audit row
    auto q = c.query(
        "UPDATE subscriptions SET tier = ?, updated_at = ? WHERE org_id = ? AND product = ?");
    if (!q) return fail(q.error());
    (*q)->bind(1, orgs::tier_name(tier))
        .bind(2, to_ms(audit.created_at))
        .bind(3, org_id.to_string())
        .bind(4, orgs::product_name(product));
    if (auto r = (*q)->run(); !r) return fail(r.error());
    audit.metadata = "{\"from\":\"" + std::string(orgs::tier_name(live->tier)) + "\",\"to\":\"" +
                     std::string(orgs::tier_name(tier)) + "\"}";
    if (auto r = write_audit(c, org_id, audit); !r) return fail(r.error());
    auto changed = reread(c, org_id, product);
    if (!changed) return fail(changed.error());
    return orgs::TierChange{*changed, live->tier};
  });
}

Result<orgs::Subscription> SqliteSubscriptionRepository::cancel(const Uuid& org_id,
                                                                orgs::Product product,
                                                                orgs::AuditRecord audit) {
  return in_transaction(db_, [&](Connection& c) -> Result<orgs::Subscription> {
    auto live = select_live(c, org_id, product);
    if (!live) return fail(live.error());
    auto now = to_ms(audit.created_at);
    auto q = c.query(
        "UPDATE subscriptions SET status = 'canceled', canceled_at = ?1, updated_at = ?1 "
        "WHERE org_id = ?2 AND product = ?3");
    if (!q) return fail(q.error());
    (*q)->bind(1, now).bind(2, org_id.to_string()).bind(3, orgs::product_name(product));
    if (auto r = (*q)->run(); !r) return fail(r.error());
    audit.metadata = "{\"tier\":\"" + std::string(orgs::tier_name(live->tier)) + "\"}";
    if (auto r = write_audit(c, org_id, audit); !r) return fail(r.error());
    return reread(c, org_id, product);
  });
}

}  // namespace ferr::storage::sqlite
