-- $1 user id. Every audit entry they wrote, in every organization, newest first (an index on
-- (actor_id, seq)).
SELECT org_id, id, actor_id, action, target, metadata, ts_to_ms(created_at)
FROM org_audit_log
WHERE actor_id = $1
ORDER BY seq DESC
