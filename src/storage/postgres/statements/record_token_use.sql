-- $1 token id, $2 now (ms), $3 not since (ms): records a use unless one was recorded after
-- $3 (at most one write a minute per token).
UPDATE api_tokens
SET last_used_at = ms_to_ts($2)
WHERE id = $1
  AND revoked_at IS NULL
  AND (last_used_at IS NULL OR last_used_at <= ms_to_ts($3))
