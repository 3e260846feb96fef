#pragma once
/// The seam where the telemetry emitter plugs into organization use cases. Called only after the
/// change has committed; implementations must return at once and never fail.

#include "core/uuid.hpp"
#include "domain/orgs/role.hpp"

namespace ferr::domain::orgs {

class OrgEvents {
 public:
  virtual ~OrgEvents() = default;
  /// `org.created`: the org and its creator.
  virtual void org_created(const core::Uuid& org_id, const core::Uuid& creator) = 0;
  /// `org.member.added`: the org, who added, and the role given.
  virtual void member_added(const core::Uuid& org_id, const core::Uuid& actor, Role role) = 0;
};

/// Emits nothing (until the telemetry emitter is wired in).
class NoOrgEvents final : public OrgEvents {
 public:
  void org_created(const core::Uuid&, const core::Uuid&) override {}
  void member_added(const core::Uuid&, const core::Uuid&, Role) override {}
};

}  // namespace ferr::domain::orgs
