#pragma once
/// Writing an `org_audit_log` row inside the caller's transaction (the PostgreSQL twin of
/// storage/sqlite/audit_writer.hpp), and the org lock such a transaction starts with; shared by
/// the org and subscription repositories.

#include <boost/asio/awaitable.hpp>

#include <utility>

#include "core/error.hpp"
#include "core/uuid.hpp"
#include "domain/orgs/organization.hpp"
#include "storage/postgres/codec.hpp"
#include "storage/postgres/connection.hpp"

namespace ferr::storage::postgres {

/// Statement `lock-org` of migrations/README.md: the first statement of every transaction that
/// changes an organization (and so writes an audit row for it). It serialises the changes of one
/// org across instances, as BEGIN IMMEDIATE did for the whole SQLite database. An unknown org
/// locks nothing; the statements that follow decide what that means.
inline boost::asio::awaitable<core::Result<void>> lock_org(Connection& c,
                                                           const core::Uuid& org_id) {
  auto locked = co_await c.query(
      "SELECT 1\n"
      "FROM organizations\n"
      "WHERE id = $1\n"
      "FOR NO KEY UPDATE",
      org_id.to_string());
  if (!locked) co_return core::fail(std::move(locked.error()));
  co_return core::Result<void>{};
}

/// Inserts `audit` for `org_id`. Call it inside the transaction of the change it records, which
/// must have started with `lock-org` (migrations/README.md "Audit order"): `seq` is assigned at
/// insert, so only that lock makes one org's entries numbered in commit order. `metadata` goes
/// to a `json` column as a text parameter, so its text is stored as written.
inline boost::asio::awaitable<core::Result<void>> write_audit(Connection& c,
                                                              const core::Uuid& org_id,
                                                              const domain::orgs::AuditRecord& a) {
  auto inserted = co_await c.query(
      "INSERT INTO org_audit_log (id, org_id, actor_id, action, target, metadata, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, ms_to_ts($7))",
      a.id.to_string(), org_id.to_string(), a.actor_id.to_string(), a.action, a.target, a.metadata,
      to_ms(a.created_at));
  if (!inserted) co_return core::fail(std::move(inserted.error()));
  co_return core::Result<void>{};
}

}  // namespace ferr::storage::postgres
