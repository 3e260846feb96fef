#include "fakes/org_repository.hpp"

#include <algorithm>
#include <utility>

#include "core/try.hpp"
#include "domain/orgs/role.hpp"

namespace ferr::fakes {

using core::Error;
using core::ErrorCode;
using core::fail;
using core::OrgId;
using core::Result;
using core::Task;
using core::UserId;
namespace orgs = domain::orgs;

namespace {

Error slug_in_use() {
  return Error{ErrorCode::org_slug_taken, "this slug is already in use", "slug"};
}

}  // namespace

orgs::Member FakeOrgRepository::member_of(const MembershipRow& row) const {
  orgs::Member member;
  member.user_id = row.user_id;
  auto account = db_.users.find(row.user_id);
  if (account != db_.users.end()) {
    member.email = account->second.user.email;
    member.display_name = account->second.user.display_name;
  }
  member.role = row.role;
  member.joined_at = row.joined_at;
  return member;
}

Task<Result<orgs::OrgView>> FakeOrgRepository::create_org(const OrgId& id, const std::string& slug,
                                                          const std::string& name,
                                                          const UserId& owner,
                                                          const orgs::AuditRecord& audit) {
  auto body = [&]() -> Result<orgs::OrgView> {
    if (db_.org_by_slug(slug) != nullptr) return fail(slug_in_use());
    db_.orgs.push_back(OrgRow{id, slug, name, false, audit.created_at, audit.created_at});
    db_.memberships.push_back(MembershipRow{id, owner, orgs::Role::owner, audit.created_at});
    db_.audit_log.push_back(AuditRow{id, audit});
    return *db_.view(id, owner);
  };
  co_return co_await hooks.call<orgs::OrgView>("create_org", db_.mutex, body);
}

Task<Result<std::vector<orgs::OrgView>>> FakeOrgRepository::orgs_of(const UserId& user) {
  auto body = [&]() -> Result<std::vector<orgs::OrgView>> {
    std::vector<orgs::OrgView> out;
    for (const auto& org : db_.orgs)
      if (auto view = db_.view(org.id, user)) out.push_back(std::move(*view));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.slug < b.slug; });
    return out;
  };
  co_return co_await hooks.call<std::vector<orgs::OrgView>>("orgs_of", db_.mutex, body);
}

Task<Result<orgs::OrgLookup>> FakeOrgRepository::org_for_member(
    const std::string& slug, const domain::accounts::Principal& principal) {
  auto body = [&]() -> Result<orgs::OrgLookup> {
    orgs::OrgLookup lookup;
    lookup.session_live = db_.session_live(principal);
    const OrgRow* org = db_.org_by_slug(slug);
    if (lookup.session_live && org != nullptr) lookup.org = db_.view(org->id, principal.user_id);
    return lookup;
  };
  co_return co_await hooks.call<orgs::OrgLookup>("org_for_member", db_.mutex, body);
}

Task<Result<orgs::OrgTokenLookup>> FakeOrgRepository::org_for_token(
    const core::ApiTokenId& token, const std::optional<std::string>& slug) {
  auto body = [&]() -> Result<orgs::OrgTokenLookup> {
    orgs::OrgTokenLookup lookup;
    for (const auto& row : db_.api_tokens) {
      const auto& t = row.stored.token;
      if (t.id != token || !t.org_id || t.revoked_at) continue;
      lookup.token_live = true;
      lookup.org_owned = t.owner == domain::tokens::Owner::org;
      if (const auto* creator = db_.membership(*t.org_id, t.created_by)) {
        lookup.creator_role = creator->role;
      }
      const OrgRow* org = db_.org_by_id(*t.org_id);
      if (org != nullptr && (!slug || org->slug == *slug))
        lookup.org = db_.view(org->id, std::nullopt);
    }
    return lookup;
  };
  co_return co_await hooks.call<orgs::OrgTokenLookup>("org_for_token", db_.mutex, body);
}

Task<Result<orgs::OrgView>> FakeOrgRepository::update_org(const OrgId& org_id,
                                                          orgs::Role viewer_role,
                                                          const std::optional<std::string>& name,
                                                          const std::optional<std::string>& slug,
                                                          const orgs::AuditRecord& audit) {
  auto body = [&]() -> Result<orgs::OrgView> {
    OrgRow* org = db_.org_by_id(org_id);
    if (org == nullptr)
      return fail(Error::make(ErrorCode::org_not_found, "organization not found"));
    if (slug && *slug != org->slug && db_.org_by_slug(*slug) != nullptr) return fail(slug_in_use());
    if (name) org->name = *name;
    if (slug) org->slug = *slug;
    org->updated_at = audit.created_at;
    db_.audit_log.push_back(AuditRow{org_id, audit});
    auto view = db_.view(org_id, std::nullopt);
    view->role = viewer_role;
    return *view;
  };
  co_return co_await hooks.call<orgs::OrgView>("update_org", db_.mutex, body);
}

Task<Result<std::vector<orgs::Member>>> FakeOrgRepository::members(const OrgId& org_id) {
  auto body = [&]() -> Result<std::vector<orgs::Member>> {
    std::vector<orgs::Member> out;
    for (const auto& row : db_.memberships)
      if (row.org_id == org_id) out.push_back(member_of(row));
    // By joined_at, then in the order they were made.
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.joined_at < b.joined_at; });
    return out;
  };
  co_return co_await hooks.call<std::vector<orgs::Member>>("members", db_.mutex, body);
}

Task<Result<orgs::Member>> FakeOrgRepository::add_member(const OrgId& org_id,
                                                         const std::string& email, orgs::Role role,
                                                         orgs::AuditRecord audit) {
  auto body = [&]() -> Result<orgs::Member> {
    const auto* account = db_.user_by_email(email);
    if (account == nullptr || !account->user.active)
      return fail(
          Error{ErrorCode::user_not_found, "no active account has this e-mail address", "email"});
    if (db_.membership(org_id, account->user.id) != nullptr)
      return fail(
          Error::make(ErrorCode::org_member_already_exists, "this user is already a member"));
    db_.memberships.push_back(MembershipRow{org_id, account->user.id, role, audit.created_at});
    audit.target = account->user.id.to_string();
    db_.audit_log.push_back(AuditRow{org_id, std::move(audit)});
    return member_of(db_.memberships.back());
  };
  co_return co_await hooks.call<orgs::Member>("add_member", db_.mutex, body);
}

Task<Result<orgs::Member>> FakeOrgRepository::change_role(const OrgId& org_id, const UserId& user,
                                                          orgs::Role wanted, orgs::Role actor_role,
                                                          orgs::AuditRecord audit) {
  auto body = [&]() -> Result<orgs::Member> {
    MembershipRow* target = db_.membership(org_id, user);
    std::optional<orgs::StoredMember> stored;
    if (target != nullptr) {
      auto owners = std::count_if(db_.memberships.begin(), db_.memberships.end(), [&](auto& m) {
        return m.org_id == org_id && m.role == orgs::Role::owner;
      });
      stored = orgs::StoredMember{target->role, static_cast<int>(owners)};
    }
    FERR_TRY(auto plan, orgs::plan_role_change(actor_role, stored, wanted));
    if (!plan.changes) return member_of(*target);
    target->role = wanted;
    audit.metadata = std::move(plan.audit_metadata);
    db_.audit_log.push_back(AuditRow{org_id, std::move(audit)});
    return member_of(*target);
  };
  co_return co_await hooks.call<orgs::Member>("change_role", db_.mutex, body);
}

Task<Result<void>> FakeOrgRepository::remove_member(const OrgId& org_id, const UserId& user,
                                                    orgs::Role actor_role,
                                                    orgs::AuditRecord audit) {
  auto body = [&]() -> Result<void> {
    MembershipRow* target = db_.membership(org_id, user);
    std::optional<orgs::StoredMember> stored;
    if (target != nullptr) {
      auto owners = std::count_if(db_.memberships.begin(), db_.memberships.end(), [&](auto& m) {
        return m.org_id == org_id && m.role == orgs::Role::owner;
      });
      stored = orgs::StoredMember{target->role, static_cast<int>(owners)};
    }
    FERR_TRY(audit.metadata, orgs::plan_removal(actor_role, stored));
    std::erase_if(db_.memberships,
                  [&](const auto& m) { return m.org_id == org_id && m.user_id == user; });
    db_.audit_log.push_back(AuditRow{org_id, std::move(audit)});
    return {};
  };
  co_return co_await hooks.call<void>("remove_member", db_.mutex, body);
}

Task<Result<void>> FakeOrgRepository::set_telemetry_opt_out(const OrgId& org_id, bool opt_out,
                                                            const orgs::AuditRecord& audit) {
  auto body = [&]() -> Result<void> {
    if (OrgRow* org = db_.org_by_id(org_id)) {
      if (org->telemetry_opt_out != opt_out) {
        db_.opt_out_changed_at[{domain::telemetry::OptOutSubject::org, org_id.value}] =
            audit.created_at;
      }
      org->telemetry_opt_out = opt_out;
      org->updated_at = audit.created_at;
    }
    db_.audit_log.push_back(AuditRow{org_id, audit});
    return {};
  };
  co_return co_await hooks.call<void>("set_telemetry_opt_out", db_.mutex, body);
}

Task<Result<std::vector<orgs::Membership>>> FakeOrgRepository::memberships_of(const UserId& user) {
  auto body = [&]() -> Result<std::vector<orgs::Membership>> {
    std::vector<orgs::Membership> out;
    for (const auto& m : db_.memberships) {
      if (m.user_id != user) continue;
      const OrgRow* org = db_.org_by_id(m.org_id);
      if (org) out.push_back({m.org_id, org->slug, org->name, m.role, m.joined_at});
    }
    std::ranges::sort(out, [](const auto& a, const auto& b) { return a.slug < b.slug; });
    return out;
  };
  co_return co_await hooks.call<std::vector<orgs::Membership>>("memberships_of", db_.mutex, body);
}

Task<Result<std::vector<orgs::OrgAuditRecord>>> FakeOrgRepository::audit_by_actor(
    const UserId& user) {
  auto body = [&]() -> Result<std::vector<orgs::OrgAuditRecord>> {
    std::vector<orgs::OrgAuditRecord> out;
    for (auto row = db_.audit_log.rbegin(); row != db_.audit_log.rend(); ++row)
      if (row->record.actor_id == user) out.push_back({row->org_id, row->record});
    return out;
  };
  co_return co_await hooks.call<std::vector<orgs::OrgAuditRecord>>("audit_by_actor", db_.mutex,
                                                                   body);
}

Task<Result<std::vector<orgs::AuditRecord>>> FakeOrgRepository::audit_log(
    const OrgId& org_id, int limit, const std::optional<core::AuditEntryId>& before) {
  auto body = [&]() -> Result<std::vector<orgs::AuditRecord>> {
    // Newest first by write order; `before` must be an entry of this org, else nothing is older.
    auto end = db_.audit_log.size();
    if (before) {
      auto found = std::find_if(db_.audit_log.begin(), db_.audit_log.end(), [&](const auto& row) {
        return row.org_id == org_id && row.record.id == *before;
      });
      end = found == db_.audit_log.end() ? 0
                                         : static_cast<std::size_t>(found - db_.audit_log.begin());
    }
    std::vector<orgs::AuditRecord> out;
    for (auto i = end; i > 0 && std::cmp_less(out.size(), limit); --i)
      if (db_.audit_log[i - 1].org_id == org_id) out.push_back(db_.audit_log[i - 1].record);
    return out;
  };
  co_return co_await hooks.call<std::vector<orgs::AuditRecord>>("audit_log", db_.mutex, body);
}

}  // namespace ferr::fakes
