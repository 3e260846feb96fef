-- $1 ended before (ms). Housekeeping: sessions revoked before the cut-off, or none of whose
-- refresh tokens expires at or after it (their tokens go with them); how many went. A session is
-- made with its first token in one transaction, and the created_at bound keeps a young one even
-- so.
WITH gone AS (
  DELETE FROM sessions s
  WHERE s.created_at < ms_to_ts($1)
    AND (s.revoked_at < ms_to_ts($1)
         OR NOT EXISTS (SELECT 1 FROM refresh_tokens t
                        WHERE t.session_id = s.id AND t.expires_at >= ms_to_ts($1)))
  RETURNING 1
)
SELECT count(*) FROM gone
