#include "fakes/database.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace ferr::fakes {

namespace accounts = domain::accounts;
namespace orgs = domain::orgs;

std::string utc_day(core::TimePoint t) {
  std::chrono::year_month_day ymd(std::chrono::floor<std::chrono::days>(t));
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

accounts::UserWithSecret* Database::user_by_email(std::string_view email) {
  for (auto& [id, account] : users)
    if (account.user.email == email) return &account;
  return nullptr;
}

bool Database::session_live(const accounts::Principal& principal) const {
  auto session = sessions.find(principal.session_id);
  return session != sessions.end() && session->second.user_id == principal.user_id &&
         !session->second.revoked_at;
}

OrgRow* Database::org_by_id(const core::OrgId& id) {
  for (auto& org : orgs)
    if (org.id == id) return &org;
  return nullptr;
}

OrgRow* Database::org_by_slug(std::string_view slug) {
  for (auto& org : orgs)
    if (org.slug == slug) return &org;
  return nullptr;
}

MembershipRow* Database::membership(const core::OrgId& org, const core::UserId& user) {
  for (auto& m : memberships)
    if (m.org_id == org && m.user_id == user) return &m;
  return nullptr;
}

std::optional<orgs::OrgView> Database::view(const core::OrgId& org_id,
                                            const std::optional<core::UserId>& viewer) {
  const OrgRow* org = org_by_id(org_id);
  const MembershipRow* member = viewer ? membership(org_id, *viewer) : nullptr;
  if (org == nullptr || (viewer && member == nullptr)) return std::nullopt;
  orgs::OrgView out;
  out.id = org->id;
  out.slug = org->slug;
  out.name = org->name;
  if (member != nullptr) out.role = member->role;
  out.member_count = static_cast<int>(std::count_if(
      memberships.begin(), memberships.end(), [&](const auto& m) { return m.org_id == org_id; }));
  out.telemetry_opt_out = org->telemetry_opt_out;
  out.created_at = org->created_at;
  out.updated_at = org->updated_at;
  // The plan is the highest tier among live subscriptions.
  for (const auto& [key, subscription] : subscriptions)
    if (key.first == org_id && subscription.live())
      out.plan = std::max(out.plan, subscription.tier);
  return out;
}

std::vector<orgs::AuditRecord> Database::audit_of(const core::OrgId& org) const {
  std::vector<orgs::AuditRecord> out;
  for (const auto& row : audit_log)
    if (row.org_id == org) out.push_back(row.record);
  return out;
}

core::UserId Database::add_user(const std::string& email, bool active,
                                const std::string& password_hash) {
  std::lock_guard lock(mutex);
  auto id = next_id<core::UserId>();
  accounts::UserWithSecret account;
  account.user.id = id;
  account.user.email = email;
  account.user.active = active;
  account.user.created_at = account.user.updated_at = seeded_at;
  account.password_hash = password_hash;
  users.emplace(id, std::move(account));
  return id;
}

accounts::Principal Database::sign_in(const core::UserId& user) {
  std::lock_guard lock(mutex);
  auto session = next_id<core::SessionId>();
  sessions.emplace(session, SessionRow{user, seeded_at, std::nullopt, std::nullopt, seeded_at,
                                       seeded_at + std::chrono::hours(24 * 14)});
  return accounts::Principal{user, session};
}

void Database::revoke(const accounts::Principal& principal) {
  std::lock_guard lock(mutex);
  auto session = sessions.find(principal.session_id);
  if (session != sessions.end() && !session->second.revoked_at)
    session->second.revoked_at = seeded_at;
}

core::OrgId Database::add_org(const std::string& slug, const std::string& name) {
  std::lock_guard lock(mutex);
  auto id = next_id<core::OrgId>();
  orgs.push_back(OrgRow{id, slug, name, false, seeded_at, seeded_at});
  return id;
}

void Database::add_member(const core::OrgId& org, const core::UserId& user, orgs::Role role) {
  std::lock_guard lock(mutex);
  memberships.push_back(MembershipRow{org, user, role, seeded_at});
}

}  // namespace ferr::fakes
