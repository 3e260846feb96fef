#pragma once
/// What every organization use case starts with: the org as the caller sees it, or the error
/// that hides its existence from non-members; and the audit row that records a change.

#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "domain/orgs/org_repository.hpp"

namespace ferr::domain::orgs {

/// Members read; writing needs the owner or admin role ("admin+").
enum class Access { read, write };

/// The organization `slug` as `actor` sees it: ORG_NOT_FOUND for a missing org and for a
/// non-member alike; AUTH_FORBIDDEN when `access` is write and the actor is below admin.
core::Result<OrgView> org_as(OrgRepository& repository, const core::Uuid& actor,
                             const std::string& slug, Access access);

/// A new audit row stamped now, with a UUIDv7 id.
AuditRecord audit_record(const core::Clock& clock, core::Random& random, const core::Uuid& actor,
                         std::string action, std::string target, std::string metadata = "{}");

/// `s` as a JSON string literal, for audit metadata.
std::string json_string(std::string_view s);

}  // namespace ferr::domain::orgs
