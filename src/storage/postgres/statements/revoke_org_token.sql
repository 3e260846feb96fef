-- $1 org id, $2 token id, $3 now (ms): revokes that token of the org's (not revoked yet); one
-- row back when it did.
UPDATE api_tokens
SET revoked_at = ms_to_ts($3)
WHERE id = $2
  AND org_id = $1
  AND revoked_at IS NULL
RETURNING 1
