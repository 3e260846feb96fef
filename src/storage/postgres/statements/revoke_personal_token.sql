-- $1 user id, $2 token id, $3 now (ms): revokes that live personal token of the user's; one row
-- back when it did.
UPDATE api_tokens
SET revoked_at = ms_to_ts($3)
WHERE id = $2
  AND user_id = $1
  AND revoked_at IS NULL
  AND (expires_at IS NULL OR expires_at > ms_to_ts($3))
RETURNING 1
