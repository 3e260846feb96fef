#include "storage/sqlite/org_repository.hpp"

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

constexpr std::string_view kOrgSelect =
    "SELECT o.id, o.slug, o.name, m.role, "
    "(SELECT count(*) FROM org_memberships c WHERE c.org_id = o.id), o.telemetry_opt_out, "
    "o.created_at, o.updated_at, "
    // The plan is the highest tier among live subscriptions (free when there is none).
    "(SELECT max(CASE s.tier WHEN 'pro' THEN 1 WHEN 'team' THEN 2 WHEN 'enterprise' THEN 3 "
    "ELSE 0 END) FROM subscriptions s WHERE s.org_id = o.id AND s.status <> 'canceled') "
    "FROM organizations o JOIN org_memberships m ON m.org_id = o.id AND m.user_id = "
    "?1 ";

orgs::OrgView read_org(Statement& row) {
  orgs::OrgView o;
  o.id = read_uuid(row, 0);
  o.slug = row.column_text(1);
  o.name = row.column_text(2);
  o.role = orgs::parse_role(row.column_text(3)).value_or(orgs::Role::viewer);
  o.member_count = static_cast<int>(row.column_int(4));
  o.telemetry_opt_out = row.column_int(5) != 0;
  o.created_at = from_ms(row.column_int(6));
  o.updated_at = from_ms(row.column_int(7));
  o.plan = static_cast<orgs::Tier>(row.column_is_null(8) ? 0 : row.column_int(8));
  return o;
}

Result<std::optional<orgs::OrgView>> select_org(Connection& c, std::string_view where,
                                                const std::string& key, const Uuid& viewer) {
  auto q = c.query(std::string(kOrgSelect) + "WHERE " + std::string(where) + " = ?2");
  if (!q) return fail(q.error());
  (*q)->bind(1, viewer.to_string()).bind(2, key);
  auto row = (*q)->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<orgs::OrgView>{};
  return std::optional<orgs::OrgView>{read_org(**q)};
}

constexpr std::string_view kMemberSelect =
    "SELECT m.user_id, u.email, u.display_name, m.role, m.joined_at FROM org_memberships m "
    "JOIN users u ON u.id = m.user_id ";

orgs::Member read_member(Statement& row) {
  orgs::Member m;
  m.user_id = read_uuid(row, 0);
  m.email = row.column_text(1);
  if (!row.column_is_null(2)) m.display_name = row.column_text(2);
  m.role = orgs::parse_role(row.column_text(3)).value_or(orgs::Role::viewer);
  m.joined_at = from_ms(row.column_int(4));
  return m;
}

Result<std::optional<orgs::Member>> select_member(Connection& c, const Uuid& org_id,
                                                  const Uuid& user) {
  auto q = c.query(std::string(kMemberSelect) + "WHERE m.org_id = ? AND m.user_id = ?");
  if (!q) return fail(q.error());
  (*q)->bind(1, org_id.to_string()).bind(2, user.to_string());
  auto row = (*q)->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<orgs::Member>{};
  return std::optional<orgs::Member>{read_member(**q)};
}

Result<bool> slug_taken(Connection& c, const std::string& slug) {
  auto q = c.query("SELECT 1 FROM organizations WHERE slug = ?");
  if (!q) return fail(q.error());
  (*q)->bind(1, slug);
  return (*q)->step();
}

Result<int> owner_count(Connection& c, const Uuid& org_id) {
  auto q = c.query("SELECT count(*) FROM org_memberships WHERE org_id = ? AND role = 'owner'");
  if (!q) return fail(q.error());
  (*q)->bind(1, org_id.to_string());
  if (auto row = (*q)->step(); !row) return fail(row.error());
  return static_cast<int>((*q)->column_int(0));
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

}  // namespace

Result<orgs::OrgView> SqliteOrgRepository::create_org(const Uuid& id, const std::string& slug,
                                                      const std::string& name, const Uuid& owner,
                                                      const orgs::AuditRecord& audit) {
  return in_transaction(db_, [&](Connection& c) -> Result<orgs::OrgView> {
    auto taken = slug_taken(c, slug);
    if (!taken) return fail(taken.error());
    if (*taken) return fail(slug_in_use());
    auto now = to_ms(audit.created_at);
    auto insert = c.query(
        "INSERT INTO organizations (id, slug, name, created_at, updated_at) VALUES (?, ?, ?, ?, "
        "?)");
    if (!insert) return fail(insert.error());
    (*insert)->bind(1, id.to_string()).bind(2, slug).bind(3, name).bind(4, now).bind(5, now);
    if (auto r = (*insert)->run(); !r) return fail(r.error());
    auto member = c.query(
        "INSERT INTO org_memberships (org_id, user_id, role, joined_at) VALUES (?, ?, 'owner', ?)");
    if (!member) return fail(member.error());
    (*member)->bind(1, id.to_string()).bind(2, owner.to_string()).bind(3, now);
    if (auto r = (*member)->run(); !r) return fail(r.error());
    if (auto r = write_audit(c, id, audit); !r) return fail(r.error());
    auto view = select_org(c, "o.id", id.to_string(), owner);
    if (!view) return fail(view.error());
    return **view;
  });
}

Result<std::vector<orgs::OrgView>> SqliteOrgRepository::orgs_of(const Uuid& user) {
  return db_.read([&](Connection& c) -> Result<std::vector<orgs::OrgView>> {
    auto q = c.query(std::string(kOrgSelect) + "ORDER BY o.slug");
    if (!q) return fail(q.error());
    (*q)->bind(1, user.to_string());
    std::vector<orgs::OrgView> out;
    for (;;) {
      auto row = (*q)->step();
      if (!row) return fail(row.error());
      if (!*row) return out;
      out.push_back(read_org(**q));
    }
  });
}

Result<std::optional<orgs::OrgView>> SqliteOrgRepository::org_for_member(const std::string& slug,
                                                                         const Uuid& user) {
  return db_.read([&](Connection& c) { return select_org(c, "o.slug", slug, user); });
}

Result<orgs::OrgView> SqliteOrgRepository::update_org(const Uuid& org_id, const Uuid& viewer,
                                                      const std::optional<std::string>& name,
                                                      const std::optional<std::string>& slug,
                                                      const orgs::AuditRecord& audit) {
  return in_transaction(db_, [&](Connection& c) -> Result<orgs::OrgView> {
    auto current = select_org(c, "o.id", org_id.to_string(), viewer);
    if (!current) return fail(current.error());
    if (!*current) return fail(Error::make(ErrorCode::org_not_found, "organization not found"));
    if (slug && *slug != (*current)->slug) {
      auto taken = slug_taken(c, *slug);
      if (!taken) return fail(taken.error());
      if (*taken) return fail(slug_in_use());
    }
    auto q = c.query(
        "UPDATE organizations SET name = coalesce(?, name), slug = coalesce(?, slug), updated_at = "
        "? WHERE id = ?");
    if (!q) return fail(q.error());
    bind_optional(**q, 1, name);
    bind_optional(**q, 2, slug);
    (*q)->bind(3, to_ms(audit.created_at)).bind(4, org_id.to_string());
    if (auto r = (*q)->run(); !r) return fail(r.error());
    if (auto r = write_audit(c, org_id, audit); !r) return fail(r.error());
    auto view = select_org(c, "o.id", org_id.to_string(), viewer);
    if (!view) return fail(view.error());
    return **view;
  });
}

Result<std::vector<orgs::Member>> SqliteOrgRepository::members(const Uuid& org_id) {
  return db_.read([&](Connection& c) -> Result<std::vector<orgs::Member>> {
    auto q =
        c.query(std::string(kMemberSelect) + "WHERE m.org_id = ? ORDER BY m.joined_at, m.rowid");
    if (!q) return fail(q.error());
    (*q)->bind(1, org_id.to_string());
    std::vector<orgs::Member> out;
    for (;;) {
      auto row = (*q)->step();
      if (!row) return fail(row.error());
      if (!*row) return out;
      out.push_back(read_member(**q));
    }
  });
}

Result<orgs::Member> SqliteOrgRepository::add_member(const Uuid& org_id, const std::string& email,
                                                     orgs::Role role, orgs::AuditRecord audit) {
  return in_transaction(db_, [&](Connection& c) -> Result<orgs::Member> {
    auto user = c.query("SELECT id FROM users WHERE email = ? AND status = 'active'");
    if (!user) return fail(user.error());
    (*user)->bind(1, email);
    auto row = (*user)->step();
    if (!row) return fail(row.error());
    if (!*row)
      return fail(
          Error{ErrorCode::user_not_found, "no active account has this e-mail address", "email"});
    Uuid user_id = read_uuid(**user, 0);
    auto existing = select_member(c, org_id, user_id);
    if (!existing) return fail(existing.error());
    if (*existing)
      return fail(
          Error::make(ErrorCode::org_member_already_exists, "this user is already a member"));
    auto insert = c.query(
        "INSERT INTO org_memberships (org_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)");
    if (!insert) return fail(insert.error());
    (*insert)
        ->bind(1, org_id.to_string())
        .bind(2, user_id.to_string())
        .bind(3, orgs::role_name(role));
    (*insert)->bind(4, to_ms(audit.created_at));
    if (auto r = (*insert)->run(); !r) return fail(r.error());
    audit.target = user_id.to_string();
    if (auto r = write_audit(c, org_id, audit); !r) return fail(r.error());
    auto added = select_member(c, org_id, user_id);
    if (!added) return fail(added.error());
    return **added;
  });
}

Result<orgs::Member> SqliteOrgRepository::change_role(const Uuid& org_id, const Uuid& user,
                                                      orgs::Role role, const orgs::RoleCheck& check,
                                                      orgs::AuditRecord audit) {
  return in_transaction(db_, [&](Connection& c) -> Result<orgs::Member> {
    auto current = select_member(c, org_id, user);
    if (!current) return fail(current.error());
    if (!*current) return fail(not_a_member());
    if (auto allowed = check((*current)->role); !allowed) return fail(allowed.error());
    if ((*current)->role == role) return **current;  // nothing changes, nothing to audit
    if ((*current)->role == orgs::Role::owner) {
      auto owners = owner_count(c, org_id);
      if (!owners) return fail(owners.error());
      if (*owners <= 1) return fail(last_owner());
    }
    auto q = c.query("UPDATE org_memberships SET role = ? WHERE org_id = ? AND user_id = ?");
    if (!q) return fail(q.error());
    (*q)->bind(1, orgs::role_name(role)).bind(2, org_id.to_string()).bind(3, user.to_string());
    if (auto r = (*q)->run(); !r) return fail(r.error());
    audit.metadata = "{\"from\":\"" + std::string(orgs::role_name((*current)->role)) +
                     "\",\"to\":\"" + std::string(orgs::role_name(role)) + "\"}";
    if (auto r = write_audit(c, org_id, audit); !r) return fail(r.error());
    auto changed = select_member(c, org_id, user);
    if (!changed) return fail(changed.error());
    return **changed;
  });
}

Result<void> SqliteOrgRepository::remove_member(const Uuid& org_id, const Uuid& user,
                                                const orgs::RoleCheck& check,
                                                orgs::AuditRecord audit) {
  return in_transaction(db_, [&](Connection& c) -> Result<void> {
    auto current = select_member(c, org_id, user);
    if (!current) return fail(current.error());
    if (!*current) return fail(not_a_member());
    if (auto allowed = check((*current)->role); !allowed) return fail(allowed.error());
    if ((*current)->role == orgs::Role::owner) {
      auto owners = owner_count(c, org_id);
      if (!owners) return fail(owners.error());
      if (*owners <= 1) return fail(last_owner());
    }
    auto q = c.query("DELETE FROM org_memberships WHERE org_id = ? AND user_id = ?");
    if (!q) return fail(q.error());
    (*q)->bind(1, org_id.to_string()).bind(2, user.to_string());
    if (auto r = (*q)->run(); !r) return fail(r.error());
    audit.metadata = "{\"role\":\"" + std::string(orgs::role_name((*current)->role)) + "\"}";
    return write_audit(c, org_id, audit);
  });
}

Result<void> SqliteOrgRepository::set_telemetry_opt_out(const Uuid& org_id, bool opt_out,
                                                        const orgs::AuditRecord& audit) {
  return in_transaction(db_, [&](Connection& c) -> Result<void> {
    auto q = c.query("UPDATE organizations SET telemetry_opt_out = ?, updated_at = ? WHERE id = ?");
    if (!q) return fail(q.error());
    (*q)->bind(1, std::int64_t{opt_out})
        .bind(2, to_ms(audit.created_at))
        .bind(3, org_id.to_string());
    if (auto r = (*q)->run(); !r) return fail(r.error());
    return write_audit(c, org_id, audit);
  });
}

Result<std::vector<orgs::AuditRecord>> SqliteOrgRepository::audit_log(
    const Uuid& org_id, int limit, const std::optional<Uuid>& before) {
  return db_.read([&](Connection& c) -> Result<std::vector<orgs::AuditRecord>> {
    // "Older than an entry" is "written before it": its seq is lower. An unknown `before` id,
    // or one of another org's entries, yields no entry.
    auto q = c.query(
        "SELECT id, actor_id, action, target, metadata, created_at FROM org_audit_log "
        "WHERE org_id = ?1 AND (?2 IS NULL OR "
        "seq < (SELECT seq FROM org_audit_log WHERE id = ?2 AND org_id = ?1)) "
        "ORDER BY seq DESC LIMIT ?3");
    if (!q) return fail(q.error());
    (*q)->bind(1, org_id.to_string()).bind(3, std::int64_t{limit});
    if (before) {
      (*q)->bind(2, before->to_string());
    } else {
      (*q)->bind_null(2);
    }
    std::vector<orgs::AuditRecord> out;
    for (;;) {
      auto row = (*q)->step();
      if (!row) return fail(row.error());
      if (!*row) return out;
      orgs::AuditRecord a;
      a.id = read_uuid(**q, 0);
      a.actor_id = read_uuid(**q, 1);
      a.action = (*q)->column_text(2);
      a.target = (*q)->column_text(3);
      a.metadata = (*q)->column_text(4);
      a.created_at = from_ms((*q)->column_int(5));
      out.push_back(std::move(a));
    }
  });
}

}  // namespace ferr::storage::sqlite
