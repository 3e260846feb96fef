#pragma once
/// The "Organizations and members" use cases of api.md, with their authorization rules:
/// a non-member never learns that an organization exists, members read, admin+ write, and only
/// an owner grants or removes owner and admin. Methods block: run them through run_blocking.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "domain/orgs/org_events.hpp"
#include "domain/orgs/org_repository.hpp"

namespace ferr::domain::orgs {

/// `[a-z0-9-]{2,40}`, not starting or ending with `-`.
bool is_valid_slug(std::string_view slug);

class OrgService {
 public:
  OrgService(OrgRepository& repository, OrgEvents& events, const core::Clock& clock,
             core::Random& random);

  core::Result<OrgView> create(const core::Uuid& actor, const std::string& slug,
                               const std::string& name);
  core::Result<std::vector<OrgView>> list(const core::Uuid& actor);
  /// ORG_NOT_FOUND for a missing org and for a non-member alike.
  core::Result<OrgView> get(const core::Uuid& actor, const std::string& slug);
  core::Result<OrgView> update(const core::Uuid& actor, const std::string& slug,
                               const std::optional<std::string>& name,
                               const std::optional<std::string>& new_slug);
  core::Result<std::vector<Member>> members(const core::Uuid& actor, const std::string& slug);
  core::Result<Member> add_member(const core::Uuid& actor, const std::string& slug,
                                  const std::string& email, Role role);
  core::Result<Member> change_role(const core::Uuid& actor, const std::string& slug,
                                   const core::Uuid& user, Role role);
  core::Result<void> remove_member(const core::Uuid& actor, const std::string& slug,
                                   const core::Uuid& user);
  /// The org-wide telemetry opt-out (members read it).
  core::Result<bool> telemetry_opt_out(const core::Uuid& actor, const std::string& slug);
  /// Sets it (admin+); audited as `telemetry.opt_out.update` with `{"from", "to"}`.
  core::Result<bool> set_telemetry_opt_out(const core::Uuid& actor, const std::string& slug,
                                           bool opt_out);
  core::Result<std::vector<AuditRecord>> audit(const core::Uuid& actor, const std::string& slug,
                                               int limit, const std::optional<core::Uuid>& before);

 private:
  /// The audit row of a change made now by `actor`.
  AuditRecord stamp(const core::Uuid& actor, std::string action, std::string target,
                    std::string metadata = "{}");

  OrgRepository& repository_;
  OrgEvents& events_;
  const core::Clock& clock_;
  core::Random& random_;
};

}  // namespace ferr::domain::orgs
