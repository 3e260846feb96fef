#include "storage/postgres/org_repository.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/stored_value.hpp"
#include "core/try.hpp"
#include "domain/orgs/role.hpp"
#include "storage/postgres/audit_writer.hpp"
#include "storage/postgres/codec.hpp"
#include "storage/postgres/errors.hpp"
#include "storage/postgres/statements.hpp"

namespace ferr::storage::postgres {

using core::Error;
using core::ErrorCode;
using core::fail;
using core::Result;
using core::Task;
namespace orgs = domain::orgs;
namespace subscriptions = domain::subscriptions;

namespace {

Result<orgs::Role> read_role(const QueryResult& rows, int row, int column) {
  FERR_TRY(auto text, rows.string(row, column));
  return core::known_stored_value(orgs::parse_role(text), "org_memberships.role", text);
}

/// An audit entry from `id, actor_id, action, target, metadata, created_at` at `first`.
Result<orgs::AuditRecord> read_audit(const QueryResult& rows, int row, int first) {
  orgs::AuditRecord a;
  FERR_TRY(a.id, read_id<core::AuditEntryId>(rows, row, first));
  if (!rows.is_null(row, first + 1)) {  // NULL: an `org`-owned token's change
    FERR_TRY(a.actor_id, read_id<core::UserId>(rows, row, first + 1));
  }
  FERR_TRY(a.action, rows.string(row, first + 2));
  FERR_TRY(a.target, rows.string(row, first + 3));
  // json keeps the text as written: this is the service's metadata, byte for byte.
  FERR_TRY(a.metadata, rows.string(row, first + 4));
  FERR_TRY(a.created_at, read_time(rows, row, first + 5));
  return a;
}

/// The plan from the comma-separated tiers of the org's live subscriptions: the highest, free
/// when there is none. Every tier must be one the code knows.
Result<subscriptions::Tier> read_plan(const QueryResult& rows, int row, int column) {
  FERR_TRY(auto tiers, rows.optional_string(row, column));
  subscriptions::Tier plan = subscriptions::Tier::free;
  if (!tiers) return plan;
  std::string_view rest = *tiers;
  for (;;) {
    const auto comma = rest.find(',');
    const std::string_view name = rest.substr(0, comma);
    FERR_TRY(const auto tier,
             core::known_stored_value(subscriptions::parse_tier(name), "subscriptions.tier", name));
    plan = std::max(plan, tier);
    if (comma == std::string_view::npos) return plan;
    rest.remove_prefix(comma + 1);
  }
}

/// org_by_id's columns, starting at `first`.
Result<orgs::OrgView> read_org(const QueryResult& rows, int row, int first = 0) {
  orgs::OrgView o;
  FERR_TRY(o.id, read_id<core::OrgId>(rows, row, first));
  FERR_TRY(o.slug, rows.string(row, first + 1));
  FERR_TRY(o.name, rows.string(row, first + 2));
  FERR_TRY(o.role, read_role(rows, row, first + 3));
  FERR_TRY(const std::int64_t count, rows.int64(row, first + 4));
  o.member_count = static_cast<int>(count);
  FERR_TRY(o.telemetry_opt_out, rows.boolean(row, first + 5));
  FERR_TRY(o.created_at, read_time(rows, row, first + 6));
  FERR_TRY(o.updated_at, read_time(rows, row, first + 7));
  FERR_TRY(o.plan, read_plan(rows, row, first + 8));
  return o;
}

/// The only org of a statement that returns org_by_id's columns.
Result<orgs::OrgView> only_org(const QueryResult& rows) {
  if (rows.rows() != 1) return fail(Error::database("organization not visible to its member"));
  return read_org(rows, 0);
}

/// members' columns.
Result<orgs::Member> read_member(const QueryResult& rows, int row) {
  orgs::Member m;
  FERR_TRY(m.user_id, read_id<core::UserId>(rows, row, 0));
  FERR_TRY(m.email, rows.string(row, 1));
  FERR_TRY(m.display_name, rows.optional_string(row, 2));
  FERR_TRY(m.role, read_role(rows, row, 3));
  FERR_TRY(m.joined_at, read_time(rows, row, 4));
  return m;
}

Result<orgs::Member> only_member(const QueryResult& rows) {
  if (rows.rows() != 1) return fail(Error::database("member vanished inside its transaction"));
  return read_member(rows, 0);
}

/// What member_for_change read: the member and what the owner rule needs.
struct StoredRow {
  orgs::Member member;
  orgs::StoredMember stored;
};

Result<std::optional<StoredRow>> read_member_for_change(const QueryResult& rows) {
  if (rows.rows() == 0) return std::optional<StoredRow>{};
  StoredRow found;
  FERR_TRY(found.member, read_member(rows, 0));
  FERR_TRY(const std::int64_t owners, rows.int64(0, 5));
  found.stored = orgs::StoredMember{found.member.role, static_cast<int>(owners)};
  return std::optional<StoredRow>{std::move(found)};
}

std::optional<orgs::StoredMember> stored_of(const std::optional<StoredRow>& row) {
  if (!row) return std::nullopt;
  return row->stored;
}

bool violates(const Error& e, std::string_view constraint) {
  return is_unique_violation(e) && constraint_of(e) == constraint;
}

Error slug_in_use() {
  return Error{ErrorCode::org_slug_taken, "this slug is already in use", "slug"};
}
Error already_member() {
  return Error::make(ErrorCode::org_member_already_exists, "this user is already a member");
}

/// BEGIN + lock_org + member_for_change: the first round trip of a role change or removal. The
/// lock comes first: two owners demoting each other would otherwise both count two owners.
Task<Result<std::optional<StoredRow>>> lock_member(Transaction& tx, const core::OrgId& org_id,
                                                   const core::UserId& user) {
  std::vector<Statement> reads;
  reads.push_back(lock_org(org_id));
  reads.push_back({sql::member_for_change, {org_id.to_string(), user.to_string()}});
  FERR_CO_TRY(auto read, co_await tx.pipeline(std::move(reads)));
  co_return read_member_for_change(read[1]);
}

}  // namespace

Task<Result<orgs::OrgView>> PgOrgRepository::create_org(const core::OrgId& id,
                                                        const std::string& slug,
                                                        const std::string& name,
                                                        const core::UserId& owner,
                                                        const orgs::AuditRecord& audit) {
  auto body = [&](Transaction& tx) -> Task<Result<orgs::OrgView>> {
    // Nobody else can know the new id before commit, so there is no org row to lock. The slug
    // check and the insert are one statement: a concurrent creation of the same slug makes it
    // wait for that transaction's outcome (committed: no row back, taken).
    FERR_CO_TRY(auto inserted, co_await tx.query(sql::insert_org, id.to_string(), slug, name,
                                                 to_ms(audit.created_at)));
    if (inserted.rows() == 0) co_return fail(slug_in_use());
    std::vector<Statement> writes;
    writes.push_back({sql::insert_member,
                      {id.to_string(), owner.to_string(), orgs::role_name(orgs::Role::owner),
                       to_ms(audit.created_at)}});
    writes.push_back(insert_audit(id, audit));
    writes.push_back({sql::org_by_id, {orgs::role_name(orgs::Role::owner), id.to_string()}});
    FERR_CO_TRY(auto written, co_await tx.commit_with(std::move(writes)));
    co_return only_org(written[2]);
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<std::vector<orgs::OrgView>>> PgOrgRepository::orgs_of(const core::UserId& user) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::orgs_of, user.to_string()));
  std::vector<orgs::OrgView> out;
  out.reserve(static_cast<std::size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) {
    FERR_CO_TRY(auto org, read_org(rows, i));
    out.push_back(std::move(org));
  }
  co_return out;
}

Task<Result<orgs::OrgLookup>> PgOrgRepository::org_for_member(
    const std::string& slug, const domain::accounts::Principal& principal) {
  // One statement: the session check beside the lookup (the hot path of every org route).
  FERR_CO_TRY(auto rows,
              co_await db_.pool().shared_query(sql::org_for_member, principal.user_id.to_string(),
                                               slug, principal.session_id.to_string()));
  if (rows.rows() != 1) co_return fail(Error::database("org_for_member: one row expected"));
  orgs::OrgLookup lookup;
  FERR_CO_TRY(lookup.session_live, rows.boolean(0, 0));
  if (lookup.session_live && !rows.is_null(0, 1)) {
    FERR_CO_TRY(lookup.org, read_org(rows, 0, 1));
  }
  co_return lookup;
}

Task<Result<orgs::OrgTokenLookup>> PgOrgRepository::org_for_token(
    const core::ApiTokenId& token, const std::optional<std::string>& slug) {
  FERR_CO_TRY(auto rows,
              co_await db_.pool().shared_query(sql::org_for_token, token.to_string(), slug));
  orgs::OrgTokenLookup lookup;
  if (rows.rows() == 0) co_return lookup;
  lookup.token_live = true;
  FERR_CO_TRY(auto owner, rows.string(0, 0));
  lookup.org_owned = owner == "org";
  if (!rows.is_null(0, 1)) {
    FERR_CO_TRY(lookup.creator_role, read_role(rows, 0, 1));
  }
  if (!rows.is_null(0, 2)) {
    FERR_CO_TRY(lookup.org, read_org(rows, 0, 2));
  }
  co_return lookup;
}

Task<Result<orgs::OrgView>> PgOrgRepository::update_org(const core::OrgId& org_id,
                                                        orgs::Role viewer_role,
                                                        const std::optional<std::string>& name,
                                                        const std::optional<std::string>& slug,
                                                        const orgs::AuditRecord& audit) {
  auto body = [&](Transaction& tx) -> Task<Result<orgs::OrgView>> {
    std::vector<Statement> reads;
    reads.push_back(lock_org(org_id));
    reads.push_back({sql::org_by_id, {orgs::role_name(viewer_role), org_id.to_string()}});
    FERR_CO_TRY(auto read, co_await tx.pipeline(std::move(reads)));
    if (read[1].rows() == 0)
      co_return fail(Error::make(ErrorCode::org_not_found, "organization not found"));
    // A taken slug fails the update on organizations_slug_key: no separate check that a
    // concurrent re-slug could outdate.
    std::vector<Statement> writes;
    writes.push_back({sql::update_org, {name, slug, to_ms(audit.created_at), org_id.to_string()}});
    writes.push_back(insert_audit(org_id, audit));
    writes.push_back({sql::org_by_id, {orgs::role_name(viewer_role), org_id.to_string()}});
    auto written = co_await tx.commit_with(std::move(writes));
    if (!written) {
      if (violates(written.error(), "organizations_slug_key")) co_return fail(slug_in_use());
      co_return fail(std::move(written.error()));
    }
    co_return only_org((*written)[2]);
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<std::vector<orgs::Member>>> PgOrgRepository::members(const core::OrgId& org_id) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::members, org_id.to_string()));
  std::vector<orgs::Member> out;
  out.reserve(static_cast<std::size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) {
    FERR_CO_TRY(auto member, read_member(rows, i));
    out.push_back(std::move(member));
  }
  co_return out;
}

Task<Result<orgs::Member>> PgOrgRepository::add_member(const core::OrgId& org_id,
                                                       const std::string& email, orgs::Role role,
                                                       orgs::AuditRecord audit) {
  auto body = [&](Transaction& tx) -> Task<Result<orgs::Member>> {
    std::vector<Statement> reads;
    reads.push_back(lock_org(org_id));
    reads.push_back({sql::user_to_add, {org_id.to_string(), email}});
    FERR_CO_TRY(auto read, co_await tx.pipeline(std::move(reads)));
    const QueryResult& user = read[1];
    if (user.rows() == 0) {
      co_return fail(
          Error{ErrorCode::user_not_found, "no active account has this e-mail address", "email"});
    }
    FERR_CO_TRY(const auto user_id, read_id<core::UserId>(user, 0, 0));
    FERR_CO_TRY(const bool member, user.boolean(0, 1));
    if (member) co_return fail(already_member());
    audit.target = user_id.to_string();
    std::vector<Statement> writes;
    writes.push_back({sql::insert_member,
                      {org_id.to_string(), user_id.to_string(), orgs::role_name(role),
                       to_ms(audit.created_at)}});
    writes.push_back(insert_audit(org_id, audit));
    writes.push_back({sql::member_by_id, {org_id.to_string(), user_id.to_string()}});
    auto written = co_await tx.commit_with(std::move(writes));
    if (!written) {
      // Unreachable while lock_org serialises additions, kept as the schema's last word.
      if (violates(written.error(), "org_memberships_pkey")) co_return fail(already_member());
      co_return fail(std::move(written.error()));
    }
    co_return only_member((*written)[2]);
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<orgs::Member>> PgOrgRepository::change_role(const core::OrgId& org_id,
                                                        const core::UserId& user, orgs::Role wanted,
                                                        orgs::Role actor_role,
                                                        orgs::AuditRecord audit) {
  auto body = [&](Transaction& tx) -> Task<Result<orgs::Member>> {
    FERR_CO_TRY(auto current, co_await lock_member(tx, org_id, user));
    FERR_CO_TRY(auto plan, orgs::plan_role_change(actor_role, stored_of(current), wanted));
    if (!plan.changes) co_return std::move(current->member);  // the same role: no write, no audit
    audit.metadata = std::move(plan.audit_metadata);
    std::vector<Statement> writes;
    writes.push_back(
        {sql::change_role, {orgs::role_name(wanted), org_id.to_string(), user.to_string()}});
    writes.push_back(insert_audit(org_id, audit));
    FERR_CO_TRY(auto written, co_await tx.commit_with(std::move(writes)));
    co_return only_member(written[0]);
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<void>> PgOrgRepository::remove_member(const core::OrgId& org_id,
                                                  const core::UserId& user, orgs::Role actor_role,
                                                  orgs::AuditRecord audit) {
  auto body = [&](Transaction& tx) -> Task<Result<void>> {
    FERR_CO_TRY(auto current, co_await lock_member(tx, org_id, user));
    FERR_CO_TRY(audit.metadata, orgs::plan_removal(actor_role, stored_of(current)));
    std::vector<Statement> writes;
    writes.push_back({sql::remove_member, {org_id.to_string(), user.to_string()}});
    writes.push_back(insert_audit(org_id, audit));
    FERR_CO_CHECK(co_await tx.commit_with(std::move(writes)));
    co_return Result<void>{};
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<void>> PgOrgRepository::set_telemetry_opt_out(const core::OrgId& org_id, bool opt_out,
                                                          const orgs::AuditRecord& audit) {
  // Nothing to decide: one pipeline, one implicit transaction, one round trip.
  std::vector<Statement> statements;
  statements.push_back(lock_org(org_id));
  statements.push_back(
      {sql::set_org_opt_out, {opt_out, to_ms(audit.created_at), org_id.to_string()}});
  statements.push_back(insert_audit(org_id, audit));
  FERR_CO_CHECK(co_await db_.pool().pipeline(std::move(statements)));
  co_return Result<void>{};
}

Task<Result<std::vector<orgs::AuditRecord>>> PgOrgRepository::audit_log(
    const core::OrgId& org_id, int limit, const std::optional<core::AuditEntryId>& before) {
  std::optional<std::string> before_text;
  if (before) before_text = before->to_string();
  FERR_CO_TRY(auto rows,
              co_await db_.pool().query(sql::audit_log, org_id.to_string(), before_text, limit));
  std::vector<orgs::AuditRecord> out;
  out.reserve(static_cast<std::size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) {
    FERR_CO_TRY(auto entry, read_audit(rows, i, 0));
    out.push_back(std::move(entry));
  }
  co_return out;
}

Task<Result<std::vector<orgs::Membership>>> PgOrgRepository::memberships_of(
    const core::UserId& user) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::memberships_of, user.to_string()));
  std::vector<orgs::Membership> out;
  out.reserve(static_cast<std::size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) {
    orgs::Membership m;
    FERR_CO_TRY(m.org_id, read_id<core::OrgId>(rows, i, 0));
    FERR_CO_TRY(m.slug, rows.string(i, 1));
    FERR_CO_TRY(m.name, rows.string(i, 2));
    FERR_CO_TRY(m.role, read_role(rows, i, 3));
    FERR_CO_TRY(m.joined_at, read_time(rows, i, 4));
    out.push_back(std::move(m));
  }
  co_return out;
}

Task<Result<std::vector<orgs::OrgAuditRecord>>> PgOrgRepository::audit_by_actor(
    const core::UserId& user) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::audit_by_actor, user.to_string()));
  std::vector<orgs::OrgAuditRecord> out;
  out.reserve(static_cast<std::size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) {
    FERR_CO_TRY(auto org_id, read_id<core::OrgId>(rows, i, 0));
    FERR_CO_TRY(auto entry, read_audit(rows, i, 1));
    out.push_back({org_id, std::move(entry)});
  }
  co_return out;
}

}  // namespace ferr::storage::postgres
