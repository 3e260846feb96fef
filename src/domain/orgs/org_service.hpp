#pragma once
/// The "Organizations and members" use cases of api.md, with their authorization rules:
/// a non-member never learns that an organization exists, members read, admin+ write, and only
/// an owner grants or removes owner and admin. Every method is a coroutine.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/task.hpp"
#include "domain/accounts/account_repository.hpp"
#include "domain/accounts/principal.hpp"
#include "domain/orgs/org_events.hpp"
#include "domain/orgs/org_repository.hpp"

namespace ferr::domain::orgs {

/// `[a-z0-9-]{2,40}`, not starting or ending with `-`.
bool is_valid_slug(std::string_view slug);

/// Input of `POST /v1/orgs/{slug}/members`: who joins, and as what.
struct NewMember {
  std::string email;
  Role role;
};

class OrgService {
 public:
  /// `accounts` checks the caller's session where no organization is looked up first.
  OrgService(OrgRepository& repository, accounts::AccountRepository& accounts, OrgEvents& events,
             const core::Clock& clock, core::Random& random);

  using Principal = accounts::Principal;

  core::Task<core::Result<OrgView>> create(const Principal& actor, const std::string& slug,
                                           const std::string& name);
  core::Task<core::Result<std::vector<OrgView>>> list(const Principal& actor);
  /// ORG_NOT_FOUND for a missing org and for a non-member alike.
  core::Task<core::Result<OrgView>> get(const Principal& actor, const std::string& slug);
  core::Task<core::Result<OrgView>> update(const Principal& actor, const std::string& slug,
                                           const std::optional<std::string>& name,
                                           const std::optional<std::string>& new_slug);
  core::Task<core::Result<std::vector<Member>>> members(const Principal& actor,
                                                        const std::string& slug);
  core::Task<core::Result<Member>> add_member(const Principal& actor, const std::string& slug,
                                              const NewMember& input);
  /// `user` is the path segment: an unparsable id is a member that does not exist.
  core::Task<core::Result<Member>> change_role(const Principal& actor, const std::string& slug,
                                               std::string_view user, Role role);
  core::Task<core::Result<void>> remove_member(const Principal& actor, const std::string& slug,
                                               std::string_view user);
  /// The org-wide telemetry opt-out (members read it).
  core::Task<core::Result<bool>> telemetry_opt_out(const Principal& actor, const std::string& slug);
  /// Sets it (admin+); audited as `telemetry.opt_out.update` with `{"from", "to"}`.
  core::Task<core::Result<bool>> set_telemetry_opt_out(const Principal& actor,
                                                       const std::string& slug, bool opt_out);
  core::Task<core::Result<std::vector<AuditRecord>>> audit(
      const Principal& actor, const std::string& slug, int limit,
      const std::optional<core::AuditEntryId>& before);

 private:
  /// The audit row of a change made now by `actor`.
  AuditRecord stamp(const Principal& actor, std::string action, std::string target,
                    std::string metadata = "{}");

  OrgRepository& repository_;
  accounts::AccountRepository& accounts_;
  OrgEvents& events_;
  const core::Clock& clock_;
  core::Random& random_;
};

}  // namespace ferr::domain::orgs
