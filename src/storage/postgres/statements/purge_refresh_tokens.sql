-- $1 expired before (ms). Housekeeping: refresh tokens long expired, spent or not; how many went.
WITH gone AS (
  DELETE FROM refresh_tokens
  WHERE expires_at < ms_to_ts($1)
  RETURNING 1
)
SELECT count(*) FROM gone
