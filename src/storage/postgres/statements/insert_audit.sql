-- $1 id, $2 org id, $3 actor id, $4 action, $5 target, $6 metadata (JSON text, kept as written
-- by the json column), $7 when (ms). Only inside a transaction that began with lock_org.
INSERT INTO org_audit_log (id, org_id, actor_id, action, target, metadata, created_at)
VALUES ($1, $2, $3, $4, $5, $6, ms_to_ts($7))
