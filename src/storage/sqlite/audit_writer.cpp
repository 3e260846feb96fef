#include "storage/sqlite/audit_writer.hpp"

#include "core/try.hpp"
#include "domain/orgs/audit.hpp"
#include "storage/sqlite/codec.hpp"

namespace ferr::storage::sqlite {

core::Result<void> write_audit(Connection& c, const core::OrgId& org_id,
                               const domain::orgs::AuditRecord& a) {
  FERR_TRY(auto q, c.query("INSERT INTO org_audit_log (id, org_id, actor_id, action, target, "
                           "metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  q->bind(1, a.id).bind(2, org_id).bind(4, a.action);
  if (a.actor_id) q->bind(3, *a.actor_id);  // else NULL: an `org`-owned token's change
  q->bind(5, a.target).bind(6, domain::orgs::stored_metadata(a)).bind(7, to_ms(a.created_at));
  return q->run();
}

}  // namespace ferr::storage::sqlite
