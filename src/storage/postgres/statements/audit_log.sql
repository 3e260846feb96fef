-- $1 org id, $2 entry id or NULL, $3 limit. Newest first; "older than an entry" is "written
-- before it": a lower seq. An unknown $2, or another org's entry, yields nothing.
SELECT id, actor_id, action, target, metadata, ts_to_ms(created_at)
FROM org_audit_log
WHERE org_id = $1
  AND ($2::uuid IS NULL
       OR seq < (SELECT seq FROM org_audit_log WHERE id = $2 AND org_id = $1))
ORDER BY seq DESC
LIMIT $3
