-- $1 now (ms), $2 session id. A revoked session keeps its first revocation time.
UPDATE sessions
SET revoked_at = coalesce(revoked_at, ms_to_ts($1))
WHERE id = $2
