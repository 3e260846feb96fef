#pragma once
/// Writing an `org_audit_log` row inside the caller's transaction.

#include "core/error.hpp"
#include "core/id.hpp"
#include "domain/orgs/organization.hpp"
#include "storage/sqlite/connection.hpp"

namespace ferr::storage::sqlite {

/// Inserts `audit` for `org_id`; call it inside the transaction of the change it records.
core::Result<void> write_audit(Connection& c, const core::OrgId& org_id,
                               const domain::orgs::AuditRecord& audit);

}  // namespace ferr::storage::sqlite
