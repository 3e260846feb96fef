-- $1 now (ms), $2 session id, $3 user id. One row affected: it was live and the user's.
UPDATE sessions
SET revoked_at = ms_to_ts($1)
WHERE id = $2
  AND user_id = $3
  AND revoked_at IS NULL
