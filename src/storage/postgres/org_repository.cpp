#include "storage/postgres/org_repository.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/postgres/audit_writer.hpp"
#include "storage/postgres/codec.hpp"
#include "storage/postgres/errors.hpp"

namespace ferr::storage::postgres {

using boost::asio::awaitable;
using core::Error;
using core::ErrorCode;
using core::fail;
using core::Result;
using core::Uuid;
namespace orgs = domain::orgs;

namespace {

std::string concat(std::string_view head, std::string_view tail) {
  std::string sql(head);
  sql += tail;
  return sql;
}

// $1 is the viewer: the view carries the viewer's role and exists only for members.
constexpr std::string_view kOrgSelect =
    "SELECT o.id, o.slug, o.name, m.role, "
    "(SELECT count(*) FROM org_memberships c WHERE c.org_id = o.id), o.telemetry_opt_out, "
    "ts_to_ms(o.created_at), ts_to_ms(o.updated_at), "
    // The plan is the highest tier among live subscriptions (free when there is none).
    "(SELECT max(CASE s.tier WHEN 'pro' THEN 1 WHEN 'team' THEN 2 WHEN 'enterprise' THEN 3 "
    "ELSE 0 END) FROM subscriptions s WHERE s.org_id = o.id AND s.status <> 'canceled') "
    "FROM organizations o JOIN org_memberships m ON m.org_id = o.id AND m.user_id = $1 ";
const std::string kOrgById = concat(kOrgSelect, "WHERE o.id = $2");
const std::string kOrgBySlug = concat(kOrgSelect, "WHERE o.slug = $2");
const std::string kOrgsOf = concat(kOrgSelect, "ORDER BY o.slug");

constexpr std::string_view kMemberSelect =
    "SELECT m.user_id, u.email, u.display_name, m.role, ts_to_ms(m.joined_at) "
    "FROM org_memberships m JOIN users u ON u.id = m.user_id ";
const std::string kMemberOne = concat(kMemberSelect, "WHERE m.org_id = $1 AND m.user_id = $2");
// seq stands in for SQLite's rowid: members who joined in the same millisecond keep the order
// they were added in.
const std::string kMemberAll =
    concat(kMemberSelect, "WHERE m.org_id = $1 ORDER BY m.joined_at, m.seq");

// Statement `owner-count` of migrations/README.md.
constexpr std::string_view kOwnerCount =
    "SELECT count(*)\n"
    "FROM org_memberships\n"
    "WHERE org_id = $1\n"
    "  AND role = 'owner'";

Result<orgs::OrgView> read_org(const QueryResult& rows, int row) {
  orgs::OrgView o;
  FERR_PG_READ(o.id, read_uuid(rows, row, 0));
  FERR_PG_READ(o.slug, rows.string(row, 1));
  FERR_PG_READ(o.name, rows.string(row, 2));
  std::string role;
  FERR_PG_READ(role, rows.string(row, 3));
  o.role = orgs::parse_role(role).value_or(orgs::Role::viewer);
  std::int64_t count = 0;
  FERR_PG_READ(count, rows.int64(row, 4));
  o.member_count = static_cast<int>(count);
  FERR_PG_READ(o.telemetry_opt_out, rows.boolean(row, 5));
  FERR_PG_READ(o.created_at, read_time(rows, row, 6));
  FERR_PG_READ(o.updated_at, read_time(rows, row, 7));
  std::optional<std::int64_t> plan;
  FERR_PG_READ(plan, rows.optional_int64(row, 8));
  o.plan = static_cast<orgs::Tier>(plan.value_or(0));
  return o;
}

Result<orgs::Member> read_member(const QueryResult& rows, int row) {
  orgs::Member m;
  FERR_PG_READ(m.user_id, read_uuid(rows, row, 0));
  FERR_PG_READ(m.email, rows.string(row, 1));
  FERR_PG_READ(m.display_name, rows.optional_string(row, 2));
  std::string role;
  FERR_PG_READ(role, rows.string(row, 3));
  m.role = orgs::parse_role(role).value_or(orgs::Role::viewer);
  FERR_PG_READ(m.joined_at, read_time(rows, row, 4));
  return m;
}

/// The org as `viewer` sees it, found by `sql`'s `$2` (an id or a slug).
awaitable<Result<std::optional<orgs::OrgView>>> select_org(Connection& c, const std::string& sql,
                                                           const Uuid& viewer, std::string key) {
  FERR_PG_TRY(rows, co_await c.query(sql, viewer.to_string(), std::move(key)));
  if (rows.rows() == 0) co_return std::optional<orgs::OrgView>{};
  FERR_PG_TRY(org, read_org(rows, 0));
  co_return std::optional<orgs::OrgView>{std::move(org)};
}

awaitable<Result<std::optional<orgs::Member>>> select_member(Connection& c, const Uuid& org_id,
                                                             const Uuid& user) {
  FERR_PG_TRY(rows, co_await c.query(kMemberOne, org_id.to_string(), user.to_string()));
  if (rows.rows() == 0) co_return std::optional<orgs::Member>{};
  FERR_PG_TRY(member, read_member(rows, 0));
  co_return std::optional<orgs::Member>{std::move(member)};
}

awaitable<Result<bool>> slug_taken(Connection& c, const std::string& slug) {
  FERR_PG_TRY(rows, co_await c.query("SELECT 1 FROM organizations WHERE slug = $1", slug));
  co_return rows.rows() > 0;
}

awaitable<Result<std::int64_t>> owner_count(Connection& c, const Uuid& org_id) {
  FERR_PG_TRY(rows, co_await c.query(kOwnerCount, org_id.to_string()));
  co_return rows.int64(0, 0);
}

bool violates(const Error& e, std::string_view constraint) {
  return is_unique_violation(e) && constraint_of(e) == constraint;
}

Error slug_in_use() {
  return Error{ErrorCode::org_slug_taken, "this slug is already in use", "slug"};
}
Error not_a_member() {
  return Error::make(ErrorCode::user_not_found, "no such member in this organization");
}
Error last_owner() {
  return Error::make(ErrorCode::org_last_owner, "the organization would be left without an owner");
}
Error already_member() {
  return Error::make(ErrorCode::org_member_already_exists, "this user is already a member");
}

}  // namespace

Result<orgs::OrgView> PgOrgRepository::create_org(const Uuid& id, const std::string& slug,
                                                  const std::string& name, const Uuid& owner,
                                                  const orgs::AuditRecord& audit) {
  return db_.transaction<orgs::OrgView>([&](Connection& c) -> awaitable<Result<orgs::OrgView>> {
    // Nobody else can know the new id before commit, so there is no org row to lock. The
    // slug check and the insert are one statement: a concurrent creation of the same slug
    // makes it wait for that transaction's outcome (committed: no row back, taken).
    FERR_PG_TRY(inserted,
                co_await c.query("INSERT INTO organizations (id, slug, name, created_at, "
                                 "updated_at) VALUES ($1, $2, $3, ms_to_ts($4), ms_to_ts($4)) "
                                 "ON CONFLICT (slug) DO NOTHING RETURNING id",
                                 id.to_string(), slug, name, to_ms(audit.created_at)));
    if (inserted.rows() == 0) co_return fail(slug_in_use());
    FERR_PG_DO(
        co_await c.query("INSERT INTO org_memberships (org_id, user_id, role, "
                         "joined_at) VALUES ($1, $2, 'owner', ms_to_ts($3))",
                         id.to_string(), owner.to_string(), to_ms(audit.created_at)));
    FERR_PG_DO(co_await write_audit(c, id, audit));
    FERR_PG_TRY(view, co_await select_org(c, kOrgById, owner, id.to_string()));
    if (!view) co_return fail(Error::database("created organization not visible to its owner"));
    co_return std::move(*view);
  });
}

Result<std::vector<orgs::OrgView>> PgOrgRepository::orgs_of(const Uuid& user) {
  return db_.run<std::vector<orgs::OrgView>>(
      [&]() -> awaitable<Result<std::vector<orgs::OrgView>>> {
        FERR_PG_TRY(rows, co_await db_.pool().query(kOrgsOf, user.to_string()));
        std::vector<orgs::OrgView> out;
        out.reserve(static_cast<std::size_t>(rows.rows()));
        for (int i = 0; i < rows.rows(); ++i) {
          FERR_PG_TRY(org, read_org(rows, i));
          out.push_back(std::move(org));
        }
        co_return out;
      });
}

Result<std::optional<orgs::OrgView>> PgOrgRepository::org_for_member(const std::string& slug,
                                                                     const Uuid& user) {
  return db_.run<std::optional<orgs::OrgView>>(
      [&]() -> awaitable<Result<std::optional<orgs::OrgView>>> {
        FERR_PG_TRY(rows, co_await db_.pool().query(kOrgBySlug, user.to_string(), slug));
        if (rows.rows() == 0) co_return std::optional<orgs::OrgView>{};
        FERR_PG_TRY(org, read_org(rows, 0));
        co_return std::optional<orgs::OrgView>{std::move(org)};
      });
}

Result<orgs::OrgView> PgOrgRepository::update_org(const Uuid& org_id, const Uuid& viewer,
                                                  const std::optional<std::string>& name,
                                                  const std::optional<std::string>& slug,
                                                  const orgs::AuditRecord& audit) {
  return db_.transaction<orgs::OrgView>([&](Connection& c) -> awaitable<Result<orgs::OrgView>> {
    FERR_PG_DO(co_await lock_org(c, org_id));
    FERR_PG_TRY(current, co_await select_org(c, kOrgById, viewer, org_id.to_string()));
    if (!current) co_return fail(Error::make(ErrorCode::org_not_found, "organization not found"));
    if (slug && *slug != current->slug) {
      // The common case; a concurrent creation or re-slug can still win, caught below.
      FERR_PG_TRY(taken, co_await slug_taken(c, *slug));
      if (taken) co_return fail(slug_in_use());
    }
    auto updated = co_await c.query(
        "UPDATE organizations SET name = coalesce($1, name), slug = coalesce($2, slug), "
        "updated_at = ms_to_ts($3) WHERE id = $4",
        name, slug, to_ms(audit.created_at), org_id.to_string());
    if (!updated) {
      if (violates(updated.error(), "organizations_slug_key")) co_return fail(slug_in_use());
      co_return fail(std::move(updated.error()));
    }
    FERR_PG_DO(co_await write_audit(c, org_id, audit));
    FERR_PG_TRY(view, co_await select_org(c, kOrgById, viewer, org_id.to_string()));
    if (!view) co_return fail(Error::database("updated organization vanished"));
    co_return std::move(*view);
  });
}

Result<std::vector<orgs::Member>> PgOrgRepository::members(const Uuid& org_id) {
  return db_.run<std::vector<orgs::Member>>([&]() -> awaitable<Result<std::vector<orgs::Member>>> {
    FERR_PG_TRY(rows, co_await db_.pool().query(kMemberAll, org_id.to_string()));
    std::vector<orgs::Member> out;
    out.reserve(static_cast<std::size_t>(rows.rows()));
    for (int i = 0; i < rows.rows(); ++i) {
      FERR_PG_TRY(member, read_member(rows, i));
      out.push_back(std::move(member));
    }
    co_return out;
  });
}

Result<orgs::Member> PgOrgRepository::add_member(const Uuid& org_id, const std::string& email,
                                                 orgs::Role role, orgs::AuditRecord audit) {
  return db_.transaction<orgs::Member>([&](Connection& c) -> awaitable<Result<orgs::Member>> {
    FERR_PG_DO(co_await lock_org(c, org_id));
    FERR_PG_TRY(users, co_await c.query(
                           "SELECT id FROM users WHERE email = $1 AND status = 'active'", email));
    if (users.rows() == 0)
      co_return fail(
          Error{ErrorCode::user_not_found, "no active account has this e-mail address", "email"});
    FERR_PG_TRY(user_id, read_uuid(users, 0, 0));
    FERR_PG_TRY(existing, co_await select_member(c, org_id, user_id));
    if (existing) co_return fail(already_member());
    auto inserted = co_await c.query(
        "INSERT INTO org_memberships (org_id, user_id, role, joined_at) "
        "VALUES ($1, $2, $3, ms_to_ts($4))",
        org_id.to_string(), user_id.to_string(), orgs::role_name(role), to_ms(audit.created_at));
    if (!inserted) {
      // Unreachable while lock-org serialises additions, kept as the schema's last word.
      if (violates(inserted.error(), "org_memberships_pkey")) co_return fail(already_member());
      co_return fail(std::move(inserted.error()));
    }
    audit.target = user_id.to_string();
    FERR_PG_DO(co_await write_audit(c, org_id, audit));
    FERR_PG_TRY(added, co_await select_member(c, org_id, user_id));
    if (!added) co_return fail(Error::database("added member vanished"));
    co_return std::move(*added);
  });
}

Result<orgs::Member> PgOrgRepository::change_role(const Uuid& org_id, const Uuid& user,
                                                  orgs::Role role, const orgs::RoleCheck& check,
                                                  orgs::AuditRecord audit) {
  return db_.transaction<orgs::Member>([&](Connection& c) -> awaitable<Result<orgs::Member>> {
    // Locked first: two owners demoting each other would otherwise both count two owners.
    FERR_PG_DO(co_await lock_org(c, org_id));
    FERR_PG_TRY(current, co_await select_member(c, org_id, user));
    if (!current) co_return fail(not_a_member());
    if (auto allowed = check(current->role); !allowed) co_return fail(allowed.error());
    if (current->role == role) co_return std::move(*current);  // nothing changes, no audit
    if (current->role == orgs::Role::owner) {
      FERR_PG_TRY(owners, co_await owner_count(c, org_id));
      if (owners <= 1) co_return fail(last_owner());
    }
    FERR_PG_DO(
        co_await c.query("UPDATE org_memberships SET role = $1 WHERE org_id = $2 AND user_id = $3",
                         orgs::role_name(role), org_id.to_string(), user.to_string()));
    std::string metadata = "{\"from\":\"";
    metadata += orgs::role_name(current->role);
    metadata += "\",\"to\":\"";
    metadata += orgs::role_name(role);
    metadata += "\"}";
    audit.metadata = std::move(metadata);
    FERR_PG_DO(co_await write_audit(c, org_id, audit));
    FERR_PG_TRY(changed, co_await select_member(c, org_id, user));
    if (!changed) co_return fail(Error::database("changed member vanished"));
    co_return std::move(*changed);
  });
}

Result<void> PgOrgRepository::remove_member(const Uuid& org_id, const Uuid& user,
                                            const orgs::RoleCheck& check, orgs::AuditRecord audit) {
  return db_.transaction<void>([&](Connection& c) -> awaitable<Result<void>> {
    FERR_PG_DO(co_await lock_org(c, org_id));
    FERR_PG_TRY(current, co_await select_member(c, org_id, user));
    if (!current) co_return fail(not_a_member());
    if (auto allowed = check(current->role); !allowed) co_return fail(allowed.error());
    if (current->role == orgs::Role::owner) {
      FERR_PG_TRY(owners, co_await owner_count(c, org_id));
      if (owners <= 1) co_return fail(last_owner());
    }
    FERR_PG_DO(co_await c.query("DELETE FROM org_memberships WHERE org_id = $1 AND user_id = $2",
                                org_id.to_string(), user.to_string()));
    std::string metadata = "{\"role\":\"";
    metadata += orgs::role_name(current->role);
    metadata += "\"}";
    audit.metadata = std::move(metadata);
    co_return co_await write_audit(c, org_id, audit);
  });
}

Result<void> PgOrgRepository::set_telemetry_opt_out(const Uuid& org_id, bool opt_out,
                                                    const orgs::AuditRecord& audit) {
  return db_.transaction<void>([&](Connection& c) -> awaitable<Result<void>> {
    FERR_PG_DO(co_await lock_org(c, org_id));
    FERR_PG_DO(
        co_await c.query("UPDATE organizations SET telemetry_opt_out = $1, updated_at = "
                         "ms_to_ts($2) WHERE id = $3",
                         opt_out, to_ms(audit.created_at), org_id.to_string()));
    co_return co_await write_audit(c, org_id, audit);
  });
}

Result<std::vector<orgs::AuditRecord>> PgOrgRepository::audit_log(
    const Uuid& org_id, int limit, const std::optional<Uuid>& before) {
  std::optional<std::string> before_text;
  if (before) before_text = before->to_string();
  return db_.run<std::vector<orgs::AuditRecord>>(
      [&]() -> awaitable<Result<std::vector<orgs::AuditRecord>>> {
        // "Older than an entry" is "written before it": its seq is lower. An unknown `before`
        // id, or one of another org's entries, yields no entry.
        FERR_PG_TRY(rows, co_await db_.pool().query(
                              "SELECT id, actor_id, action, target, metadata, ts_to_ms(created_at) "
                              "FROM org_audit_log WHERE org_id = $1 AND ($2::uuid IS NULL OR "
                              "seq < (SELECT seq FROM org_audit_log WHERE id = $2 AND org_id = "
                              "$1)) ORDER BY seq DESC LIMIT $3",
                              org_id.to_string(), before_text, limit));
        std::vector<orgs::AuditRecord> out;
        out.reserve(static_cast<std::size_t>(rows.rows()));
        for (int i = 0; i < rows.rows(); ++i) {
          orgs::AuditRecord a;
          FERR_PG_TRY(id, read_uuid(rows, i, 0));
          FERR_PG_TRY(actor, read_uuid(rows, i, 1));
          FERR_PG_TRY(action, rows.string(i, 2));
          FERR_PG_TRY(target, rows.string(i, 3));
          // json keeps the text as written: this is the service's metadata, byte for byte.
          FERR_PG_TRY(metadata, rows.string(i, 4));
          FERR_PG_TRY(created, read_time(rows, i, 5));
          a.id = id;
          a.actor_id = actor;
          a.action = std::move(action);
          a.target = std::move(target);
          a.metadata = std::move(metadata);
          a.created_at = created;
          out.push_back(std::move(a));
        }
        co_return out;
      });
}

}  // namespace ferr::storage::postgres
