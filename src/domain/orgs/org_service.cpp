#include "domain/orgs/org_service.hpp"

#include "core/field_limits.hpp"
#include "core/try.hpp"
#include "domain/accounts/session_check.hpp"
#include "domain/accounts/validation.hpp"
#include "domain/orgs/audit.hpp"
#include "domain/orgs/org_access.hpp"

namespace ferr::domain::orgs {

namespace {

using core::Error;
using core::ErrorCode;
using core::fail;
using core::Result;
using core::Task;

Result<void> check_name(const std::string& name) {
  // Same rule as a display name: 1–100 printable characters.
  if (!accounts::is_valid_display_name(name))
    return fail(Error::validation("name", "name must be 1 to 100 characters"));
  return {};
}

Result<void> check_slug(const std::string& slug) {
  if (!is_valid_slug(slug))
    return fail(Error::validation(
        "slug", "slug must be 2 to 40 of a-z, 0-9 and -, not starting or ending with -"));
  return {};
}

}  // namespace

bool is_valid_slug(std::string_view slug) {
  if (slug.size() < core::limits::kSlugMinChars || slug.size() > core::limits::kSlugMaxChars ||
      slug.front() == '-' || slug.back() == '-')
    return false;
  for (char c : slug)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

OrgService::OrgService(OrgRepository& repository, accounts::AccountRepository& accounts,
                       OrgEvents& events, const core::Clock& clock, core::Random& random)
    : repository_(repository),
      accounts_(accounts),
      events_(events),
      clock_(clock),
      random_(random) {}

AuditRecord OrgService::stamp(const Principal& actor, std::string action, std::string target,
                              std::string metadata) {
  return audit_record(clock_, random_, actor, std::move(action), std::move(target),
                      std::move(metadata));
}

Task<Result<OrgView>> OrgService::create(const Principal& actor, const std::string& slug,
                                         const std::string& name) {
  if (actor.via_org_token())
    co_return fail(Error::make(ErrorCode::auth_forbidden,
                               "an organization token acts only inside its organization"));
  FERR_CO_CHECK(co_await accounts::require_session(accounts_, actor));
  FERR_CO_CHECK(check_slug(slug));
  FERR_CO_CHECK(check_name(name));
  auto id = core::OrgId::generate(clock_, random_);
  FERR_CO_TRY(auto org, co_await repository_.create_org(
                            id, slug, name, actor.user_id,
                            stamp(actor, "org.created", slug, org_created_metadata(slug, name))));
  events_.org_created(org.id, actor.user_id);
  co_return org;
}

Task<Result<std::vector<OrgView>>> OrgService::list(const Principal& actor) {
  if (actor.via_org_token()) {  // its org alone
    FERR_CO_TRY(auto org, co_await token_org(repository_, actor));
    co_return std::vector<OrgView>{std::move(org)};
  }
  FERR_CO_CHECK(co_await accounts::require_session(accounts_, actor));
  co_return co_await repository_.orgs_of(actor.user_id);
}

Task<Result<OrgView>> OrgService::get(const Principal& actor, const std::string& slug) {
  co_return co_await org_as(repository_, actor, slug, Access::read);
}

Task<Result<OrgView>> OrgService::update(const Principal& actor, const std::string& slug,
                                         const std::optional<std::string>& name,
                                         const std::optional<std::string>& new_slug) {
  FERR_CO_TRY(auto org, co_await org_as(repository_, actor, slug, Access::write));
  if (new_slug) FERR_CO_CHECK(check_slug(*new_slug));
  if (name) FERR_CO_CHECK(check_name(*name));
  auto metadata = org_updated_metadata(org, name, new_slug);
  if (!metadata) co_return org;  // nothing changes, nothing to audit
  co_return co_await repository_.update_org(
      org.id, org.role, name, new_slug,
      stamp(actor, "org.updated", new_slug.value_or(org.slug), std::move(*metadata)));
}

Task<Result<std::vector<Member>>> OrgService::members(const Principal& actor,
                                                      const std::string& slug) {
  FERR_CO_TRY(auto org, co_await org_as(repository_, actor, slug, Access::read));
  co_return co_await repository_.members(org.id);
}

Task<Result<Member>> OrgService::add_member(const Principal& actor, const std::string& slug,
                                            const NewMember& input) {
  const Role role = input.role;
  FERR_CO_TRY(auto org, co_await org_as(repository_, actor, slug, Access::write));
  if (role == Role::owner)
    co_return fail(Error::validation("role", "role must be admin, member or viewer"));
  FERR_CO_CHECK(may_assign(org.role, std::nullopt, role));
  auto normalized = accounts::normalize_email(input.email);
  if (!normalized)
    co_return fail(Error::validation("email", "email must be a valid e-mail address"));
  FERR_CO_TRY(auto member, co_await repository_.add_member(
                               org.id, *normalized, role,
                               stamp(actor, "org.member.added", "", member_added_metadata(role))));
  events_.member_added(org.id, actor.actor(), role);
  co_return member;
}

Task<Result<Member>> OrgService::change_role(const Principal& actor, const std::string& slug,
                                             std::string_view user, Role role) {
  FERR_CO_TRY(auto org, co_await org_as(repository_, actor, slug, Access::write));
  auto target = core::UserId::parse(user);
  if (!target) co_return fail(member_not_found());
  co_return co_await repository_.change_role(
      org.id, *target, role, org.role,
      stamp(actor, "org.member.role_changed", target->to_string()));
}

Task<Result<void>> OrgService::remove_member(const Principal& actor, const std::string& slug,
                                             std::string_view user) {
  FERR_CO_TRY(auto org, co_await org_as(repository_, actor, slug, Access::write));
  auto target = core::UserId::parse(user);
  if (!target) co_return fail(member_not_found());
  if (*target == actor.user_id)
    co_return fail(Error::make(ErrorCode::org_cannot_remove_self,
                               "you cannot remove yourself through this route"));
  co_return co_await repository_.remove_member(
      org.id, *target, org.role, stamp(actor, "org.member.removed", target->to_string()));
}

Task<Result<bool>> OrgService::telemetry_opt_out(const Principal& actor, const std::string& slug) {
  FERR_CO_TRY(auto org, co_await org_as(repository_, actor, slug, Access::read));
  co_return org.telemetry_opt_out;
}

Task<Result<bool>> OrgService::set_telemetry_opt_out(const Principal& actor,
                                                     const std::string& slug, bool opt_out) {
  FERR_CO_TRY(auto org, co_await org_as(repository_, actor, slug, Access::write));
  FERR_CO_CHECK(co_await repository_.set_telemetry_opt_out(
      org.id, opt_out,
      stamp(actor, "telemetry.opt_out.update", org.slug,
            opt_out_metadata(org.telemetry_opt_out, opt_out))));
  co_return opt_out;
}

Task<Result<std::vector<AuditRecord>>> OrgService::audit(
    const Principal& actor, const std::string& slug, int limit,
    const std::optional<core::AuditEntryId>& before) {
  FERR_CO_TRY(auto org, co_await org_as(repository_, actor, slug, Access::write));
  co_return co_await repository_.audit_log(org.id, limit, before);
}

}  // namespace ferr::domain::orgs
