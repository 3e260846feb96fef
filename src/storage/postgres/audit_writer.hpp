#pragma once
/// The two statements every transaction that changes an organization shares (the PostgreSQL
/// twin of storage/sqlite/audit_writer.hpp): `lock_org` first, `insert_audit` with the change.

#include "core/id.hpp"
#include "domain/orgs/audit.hpp"
#include "domain/orgs/organization.hpp"
#include "storage/postgres/codec.hpp"
#include "storage/postgres/param.hpp"
#include "storage/postgres/statements.hpp"

namespace ferr::storage::postgres {

/// statements/lock_org.sql for `org_id`: the first statement of every transaction that changes
/// an organization (and so writes an audit row for it). It serialises the changes of one org
/// across instances, as BEGIN IMMEDIATE did for the whole SQLite database. An unknown org locks
/// nothing (no row back); the statements that follow decide what that means.
inline Statement lock_org(const core::OrgId& org_id) {
  return Statement{sql::lock_org, {org_id.to_string()}};
}

/// statements/insert_audit.sql: `audit` for `org_id`. Only in a transaction that began with
/// lock_org (migrations/README.md "Audit order"): `seq` is assigned at insert, so only that lock
/// numbers one org's entries in commit order. The metadata goes to a `json` column as text, so it
/// is stored as written.
inline Statement insert_audit(const core::OrgId& org_id, const domain::orgs::AuditRecord& a) {
  return Statement{sql::insert_audit,
                   {a.id.to_string(), org_id.to_string(),
                    a.actor_id ? std::optional<std::string>(a.actor_id->to_string()) : std::nullopt,
                    a.action, a.target, domain::orgs::stored_metadata(a), to_ms(a.created_at)}};
}

}  // namespace ferr::storage::postgres
