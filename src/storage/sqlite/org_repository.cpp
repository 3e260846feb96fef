#include "storage/sqlite/org_repository.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "core/try.hpp"
#include "domain/orgs/role.hpp"
#include "storage/sqlite/audit_writer.hpp"
#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/shared_sql.hpp"

namespace ferr::storage::sqlite {

using core::Error;
using core::ErrorCode;
using core::fail;
using core::OrgId;
using core::Result;
using core::Task;
using core::UserId;
namespace orgs = domain::orgs;
namespace subscriptions = domain::subscriptions;

namespace {

// --- Statements (each text lives here once) ---------------------------------------------------

// An organization as member ?2 sees it: nine columns over `o` and `m`. The plan is the highest
// live tier, computed from the tier names by the domain's order (read_plan).
constexpr std::string_view kOrgColumns =
    "o.id, o.slug, o.name, m.role, "
    "(SELECT count(*) FROM org_memberships c WHERE c.org_id = o.id), o.telemetry_opt_out, "
    "o.created_at, o.updated_at, "
    "(SELECT group_concat(s.tier) FROM subscriptions s WHERE s.org_id = o.id "
    "AND s.status <> 'canceled')";
constexpr std::string_view kOrgOfMember =
    " FROM organizations o JOIN org_memberships m ON m.org_id = o.id AND m.user_id = ?2";

const std::string kOrgsOf =
    "SELECT " + std::string(kOrgColumns) + std::string(kOrgOfMember) + " ORDER BY o.slug";
// The org as a caller with role ?2 sees it (the role the lookup that let them in found).
const std::string kOrgById = "SELECT o.id, o.slug, o.name, ?2, " +
                             std::string(kOrgColumns.substr(kOrgColumns.find("(SELECT count"))) +
                             " FROM organizations o WHERE o.id = ?3";
// The session check (?1 session, ?2 user) beside the lookup of slug ?3, in one statement. It
// yields one row always: `live`, then kOrgColumns, whose `m.role` is NULL for a dead session, a
// missing org and a non-member alike. Two LEFT JOINs rather than a LEFT JOIN of a join, which
// SQLite would materialise on every call.
const std::string kOrgForMember =
    "SELECT l.live, " + std::string(kOrgColumns) + " FROM (SELECT " + std::string(kSessionIsLive) +
    " AS live) l LEFT JOIN organizations o ON l.live AND o.slug = ?3 LEFT JOIN org_memberships m "
    "ON m.org_id = o.id AND m.user_id = ?2";

// Org token ?1 when it is not revoked (PostgreSQL's statements/org_for_token.sql says what each
// column is): owner, creator's role, then kOrgColumns for slug ?2 (any slug when NULL).
const std::string kOrgForToken =
    "SELECT t.owner, cm.role, " +
    std::string(kOrgColumns).replace(std::string(kOrgColumns).find("m.role"), 6, "'admin'") +
    " FROM api_tokens t LEFT JOIN org_memberships cm ON cm.org_id = t.org_id AND cm.user_id = "
    "t.created_by LEFT JOIN organizations o ON o.id = t.org_id AND (?2 IS NULL OR o.slug = ?2) "
    "WHERE t.id = ?1 AND t.org_id IS NOT NULL AND t.revoked_at IS NULL";

constexpr std::string_view kMemberColumns =
    "SELECT m.user_id, u.email, u.display_name, m.role, m.joined_at";
constexpr std::string_view kMemberFrom =
    " FROM org_memberships m JOIN users u ON u.id = m.user_id ";
const std::string kMembers = std::string(kMemberColumns) + std::string(kMemberFrom) +
                             "WHERE m.org_id = ? ORDER BY m.joined_at, m.rowid";
// A member with what the owner rule needs: the org's number of owners.
const std::string kStoredMember =
    std::string(kMemberColumns) +
    ", (SELECT count(*) FROM org_memberships o WHERE o.org_id = m.org_id AND o.role = 'owner')" +
    std::string(kMemberFrom) + "WHERE m.org_id = ? AND m.user_id = ?";

constexpr std::string_view kSlugTaken = "SELECT 1 FROM organizations WHERE slug = ?";
constexpr std::string_view kInsertMembership =
    "INSERT INTO org_memberships (org_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)";

// ---------------------------------------------------------------------------------------------

/// An audit entry from `id, actor_id, action, target, metadata, created_at` at `first`.
orgs::AuditRecord read_audit(const Statement& row, int first) {
  orgs::AuditRecord a;
  a.id = read_id<core::AuditEntryId>(row, first);
  if (!row.column_is_null(first + 1)) a.actor_id = read_id<UserId>(row, first + 1);
  a.action = row.column_text(first + 2);
  a.target = row.column_text(first + 3);
  a.metadata = row.column_text(first + 4);
  a.created_at = from_ms(row.column_int(first + 5));
  return a;
}

Result<orgs::Role> read_role(const Statement& row, int column) {
  return read_enum(row, column, orgs::parse_role, "org_memberships.role");
}

/// The highest of the comma-separated live tiers; free when there is none.
Result<subscriptions::Tier> read_plan(const Statement& row, int column) {
  subscriptions::Tier plan = subscriptions::Tier::free;
  if (row.column_is_null(column)) return plan;
  std::string tiers = row.column_text(column);
  std::string_view rest = tiers;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view name = rest.substr(0, comma);
    FERR_TRY(auto tier,
             core::known_stored_value(subscriptions::parse_tier(name), "subscriptions.tier", name));
    plan = std::max(plan, tier);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  return plan;
}

/// The nine kOrgColumns from `first` on.
Result<orgs::OrgView> read_org(const Statement& row, int first = 0) {
  orgs::OrgView o;
  o.id = read_id<OrgId>(row, first);
  o.slug = row.column_text(first + 1);
  o.name = row.column_text(first + 2);
  FERR_TRY(o.role, read_role(row, first + 3));
  o.member_count = static_cast<int>(row.column_int(first + 4));
  o.telemetry_opt_out = row.column_int(first + 5) != 0;
  o.created_at = from_ms(row.column_int(first + 6));
  o.updated_at = from_ms(row.column_int(first + 7));
  FERR_TRY(o.plan, read_plan(row, first + 8));
  return o;
}

Result<std::optional<orgs::OrgView>> select_org(Connection& c, const OrgId& id,
                                                orgs::Role viewer_role) {
  FERR_TRY(auto q, c.query(kOrgById));
  q->bind(2, orgs::role_name(viewer_role)).bind(3, id);
  FERR_TRY(bool found, q->step());
  if (!found) return std::optional<orgs::OrgView>{};
  FERR_TRY(auto org, read_org(*q));
  return std::optional<orgs::OrgView>{std::move(org)};
}

/// The five kMemberColumns.
Result<orgs::Member> read_member(const Statement& row) {
  orgs::Member m;
  m.user_id = read_id<UserId>(row, 0);
  m.email = row.column_text(1);
  if (!row.column_is_null(2)) m.display_name = row.column_text(2);
  FERR_TRY(m.role, read_role(row, 3));
  m.joined_at = from_ms(row.column_int(4));
  return m;
}

/// A member and the org's owner count, read inside the changing transaction.
struct Target {
  orgs::Member member;
  orgs::StoredMember stored;
};

Result<std::optional<Target>> select_target(Connection& c, const OrgId& org_id,
                                            const UserId& user) {
  FERR_TRY(auto q, c.query(kStoredMember));
  q->bind(1, org_id).bind(2, user);
  FERR_TRY(bool found, q->step());
  if (!found) return std::optional<Target>{};
  FERR_TRY(auto member, read_member(*q));
  orgs::StoredMember stored{member.role, static_cast<int>(q->column_int(5))};
  return std::optional<Target>{Target{std::move(member), stored}};
}

std::optional<orgs::StoredMember> stored_of(const std::optional<Target>& target) {
  if (!target) return std::nullopt;
  return target->stored;
}

Result<bool> slug_taken(Connection& c, const std::string& slug) {
  FERR_TRY(auto q, c.query(kSlugTaken));
  q->bind(1, slug);
  return q->step();
}

Error slug_in_use() {
  return Error{ErrorCode::org_slug_taken, "this slug is already in use", "slug"};
}

}  // namespace

Task<Result<orgs::OrgView>> SqliteOrgRepository::create_org(const OrgId& id,
                                                            const std::string& slug,
                                                            const std::string& name,
                                                            const UserId& owner,
                                                            const orgs::AuditRecord& audit) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<orgs::OrgView> {
    FERR_TRY(bool taken, slug_taken(c, slug));
    if (taken) return fail(slug_in_use());
    auto now = to_ms(audit.created_at);
    FERR_TRY(auto insert, c.query("INSERT INTO organizations (id, slug, name, created_at, "
                                  "updated_at) VALUES (?, ?, ?, ?, ?)"));
    insert->bind(1, id).bind(2, slug).bind(3, name).bind(4, now).bind(5, now);
    FERR_CHECK(insert->run());
    FERR_TRY(auto member, c.query(kInsertMembership));
    member->bind(1, id).bind(2, owner).bind(3, orgs::role_name(orgs::Role::owner)).bind(4, now);
    FERR_CHECK(member->run());
    FERR_CHECK(write_audit(c, id, audit));
    FERR_TRY(auto view, select_org(c, id, orgs::Role::owner));
    if (!view) return fail(Error::database("organization vanished inside its transaction"));
    return std::move(*view);
  });
}

Task<Result<std::vector<orgs::OrgView>>> SqliteOrgRepository::orgs_of(const UserId& user) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<std::vector<orgs::OrgView>> {
    FERR_TRY(auto q, c.query(kOrgsOf));
    q->bind(2, user);
    std::vector<orgs::OrgView> out;
    for (;;) {
      FERR_TRY(bool row, q->step());
      if (!row) return out;
      FERR_TRY(auto org, read_org(*q));
      out.push_back(std::move(org));
    }
  });
}

Task<Result<orgs::OrgLookup>> SqliteOrgRepository::org_for_member(
    const std::string& slug, const domain::accounts::Principal& principal) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<orgs::OrgLookup> {
    FERR_TRY(auto q, c.query(kOrgForMember));
    q->bind(1, principal.session_id).bind(2, principal.user_id).bind(3, slug);
    FERR_TRY(bool row, q->step());
    if (!row) return fail(Error::database("org_for_member returned no row"));
    orgs::OrgLookup lookup;
    lookup.session_live = q->column_int(0) != 0;
    if (lookup.session_live && !q->column_is_null(1 + 3)) {  // a member: m.role is set
      FERR_TRY(lookup.org, read_org(*q, 1));
    }
    return lookup;
  });
}

Task<Result<orgs::OrgTokenLookup>> SqliteOrgRepository::org_for_token(
    const core::ApiTokenId& token, const std::optional<std::string>& slug) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<orgs::OrgTokenLookup> {
    FERR_TRY(auto q, c.query(kOrgForToken));
    q->bind(1, token);
    bind_optional(*q, 2, slug);
    orgs::OrgTokenLookup lookup;
    FERR_TRY(bool row, q->step());
    if (!row) return lookup;
    lookup.token_live = true;
    lookup.org_owned = q->column_text(0) == "org";
    if (!q->column_is_null(1)) {
      FERR_TRY(lookup.creator_role, read_role(*q, 1));
    }
    if (!q->column_is_null(2)) {
      FERR_TRY(lookup.org, read_org(*q, 2));
    }
    return lookup;
  });
}

Task<Result<orgs::OrgView>> SqliteOrgRepository::update_org(const OrgId& org_id,
                                                            orgs::Role viewer_role,
                                                            const std::optional<std::string>& name,
                                                            const std::optional<std::string>& slug,
                                                            const orgs::AuditRecord& audit) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<orgs::OrgView> {
    FERR_TRY(auto current, select_org(c, org_id, viewer_role));
    if (!current) return fail(Error::make(ErrorCode::org_not_found, "organization not found"));
    if (slug && *slug != current->slug) {
      FERR_TRY(bool taken, slug_taken(c, *slug));
      if (taken) return fail(slug_in_use());
    }
    FERR_TRY(auto q, c.query("UPDATE organizations SET name = coalesce(?, name), slug = "
                             "coalesce(?, slug), updated_at = ? WHERE id = ?"));
    bind_optional(*q, 1, name);
    bind_optional(*q, 2, slug);
    q->bind(3, to_ms(audit.created_at)).bind(4, org_id);
    FERR_CHECK(q->run());
    FERR_CHECK(write_audit(c, org_id, audit));
    FERR_TRY(auto view, select_org(c, org_id, viewer_role));
    if (!view) return fail(Error::database("organization vanished inside its transaction"));
    return std::move(*view);
  });
}

Task<Result<std::vector<orgs::Member>>> SqliteOrgRepository::members(const OrgId& org_id) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<std::vector<orgs::Member>> {
    FERR_TRY(auto q, c.query(kMembers));
    q->bind(1, org_id);
    std::vector<orgs::Member> out;
    for (;;) {
      FERR_TRY(bool row, q->step());
      if (!row) return out;
      FERR_TRY(auto member, read_member(*q));
      out.push_back(std::move(member));
    }
  });
}

Task<Result<orgs::Member>> SqliteOrgRepository::add_member(const OrgId& org_id,
                                                           const std::string& email,
                                                           orgs::Role role,
                                                           orgs::AuditRecord audit) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<orgs::Member> {
    FERR_TRY(auto user, c.query("SELECT id, display_name FROM users WHERE email = ? AND status = "
                                "'active'"));
    user->bind(1, email);
    FERR_TRY(bool found, user->step());
    if (!found)
      return fail(
          Error{ErrorCode::user_not_found, "no active account has this e-mail address", "email"});
    orgs::Member added;
    added.user_id = read_id<UserId>(*user, 0);
    added.email = email;
    if (!user->column_is_null(1)) added.display_name = user->column_text(1);
    added.role = role;
    added.joined_at = from_ms(to_ms(audit.created_at));

    FERR_TRY(auto existing, c.query("SELECT 1 FROM org_memberships WHERE org_id = ? AND "
                                    "user_id = ?"));
    existing->bind(1, org_id).bind(2, added.user_id);
    FERR_TRY(bool member, existing->step());
    if (member)
      return fail(
          Error::make(ErrorCode::org_member_already_exists, "this user is already a member"));
    FERR_TRY(auto insert, c.query(kInsertMembership));
    insert->bind(1, org_id).bind(2, added.user_id).bind(3, orgs::role_name(role));
    insert->bind(4, to_ms(audit.created_at));
    FERR_CHECK(insert->run());
    audit.target = added.user_id.to_string();
    FERR_CHECK(write_audit(c, org_id, audit));
    return added;
  });
}

Task<Result<orgs::Member>> SqliteOrgRepository::change_role(const OrgId& org_id, const UserId& user,
                                                            orgs::Role wanted,
                                                            orgs::Role actor_role,
                                                            orgs::AuditRecord audit) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<orgs::Member> {
    FERR_TRY(auto target, select_target(c, org_id, user));
    FERR_TRY(auto plan, orgs::plan_role_change(actor_role, stored_of(target), wanted));
    if (!plan.changes) return std::move(target->member);
    FERR_TRY(auto q, c.query("UPDATE org_memberships SET role = ? WHERE org_id = ? AND "
                             "user_id = ?"));
    q->bind(1, orgs::role_name(wanted)).bind(2, org_id).bind(3, user);
    FERR_CHECK(q->run());
    audit.metadata = std::move(plan.audit_metadata);
    FERR_CHECK(write_audit(c, org_id, audit));
    target->member.role = wanted;
    return std::move(target->member);
  });
}

Task<Result<void>> SqliteOrgRepository::remove_member(const OrgId& org_id, const UserId& user,
                                                      orgs::Role actor_role,
                                                      orgs::AuditRecord audit) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<void> {
    FERR_TRY(auto target, select_target(c, org_id, user));
    FERR_TRY(audit.metadata, orgs::plan_removal(actor_role, stored_of(target)));
    FERR_TRY(auto q, c.query("DELETE FROM org_memberships WHERE org_id = ? AND user_id = ?"));
    q->bind(1, org_id).bind(2, user);
    FERR_CHECK(q->run());
    return write_audit(c, org_id, audit);
  });
}

Task<Result<void>> SqliteOrgRepository::set_telemetry_opt_out(const OrgId& org_id, bool opt_out,
                                                              const orgs::AuditRecord& audit) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<void> {
    // The change time moves only when the value does (SET reads the row's old values).
    FERR_TRY(auto q, c.query("UPDATE organizations SET telemetry_opt_out = ?1, updated_at = ?2, "
                             "telemetry_opt_out_changed_at = CASE WHEN telemetry_opt_out <> ?1 "
                             "THEN ?2 ELSE telemetry_opt_out_changed_at END WHERE id = ?3"));
    q->bind(1, std::int64_t{opt_out}).bind(2, to_ms(audit.created_at)).bind(3, org_id);
    FERR_CHECK(q->run());
    return write_audit(c, org_id, audit);
  });
}

Task<Result<std::vector<orgs::AuditRecord>>> SqliteOrgRepository::audit_log(
    const OrgId& org_id, int limit, const std::optional<core::AuditEntryId>& before) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<std::vector<orgs::AuditRecord>> {
    // "Older than an entry" is "written before it": its seq is lower. An unknown `before` id,
    // or one of another org's entries, yields no entry.
    FERR_TRY(auto q, c.query("SELECT id, actor_id, action, target, metadata, created_at FROM "
                             "org_audit_log WHERE org_id = ?1 AND (?2 IS NULL OR seq < (SELECT "
                             "seq FROM org_audit_log WHERE id = ?2 AND org_id = ?1)) ORDER BY "
                             "seq DESC LIMIT ?3"));
    q->bind(1, org_id).bind(3, std::int64_t{limit});
    if (before) {
      q->bind(2, *before);
    } else {
      q->bind_null(2);
    }
    std::vector<orgs::AuditRecord> out;
    for (;;) {
      FERR_TRY(bool row, q->step());
      if (!row) return out;
      out.push_back(read_audit(*q, 0));
    }
  });
}

Task<Result<std::vector<orgs::Membership>>> SqliteOrgRepository::memberships_of(
    const UserId& user) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<std::vector<orgs::Membership>> {
    FERR_TRY(auto q, c.query("SELECT o.id, o.slug, o.name, m.role, m.joined_at FROM "
                             "org_memberships m JOIN organizations o ON o.id = m.org_id WHERE "
                             "m.user_id = ? ORDER BY o.slug"));
    q->bind(1, user);
    std::vector<orgs::Membership> out;
    for (;;) {
      FERR_TRY(bool row, q->step());
      if (!row) return out;
      orgs::Membership m;
      m.org_id = read_id<OrgId>(*q, 0);
      m.slug = q->column_text(1);
      m.name = q->column_text(2);
      FERR_TRY(m.role, read_role(*q, 3));
      m.joined_at = from_ms(q->column_int(4));
      out.push_back(std::move(m));
    }
  });
}

Task<Result<std::vector<orgs::OrgAuditRecord>>> SqliteOrgRepository::audit_by_actor(
    const UserId& user) {
  co_return co_await db_.read_async(
      [&](Connection& c) -> Result<std::vector<orgs::OrgAuditRecord>> {
        FERR_TRY(auto q,
                 c.query("SELECT org_id, id, actor_id, action, target, metadata, created_at "
                         "FROM org_audit_log WHERE actor_id = ? ORDER BY seq DESC"));
        q->bind(1, user);
        std::vector<orgs::OrgAuditRecord> out;
        for (;;) {
          FERR_TRY(bool row, q->step());
          if (!row) return out;
          out.push_back({read_id<OrgId>(*q, 0), read_audit(*q, 1)});
        }
      });
}

}  // namespace ferr::storage::sqlite
