-- $1 used or expired before (ms). Housekeeping: reset tokens spent or expired long ago; how many
-- went.
WITH gone AS (
  DELETE FROM password_resets
  WHERE expires_at < ms_to_ts($1) OR used_at < ms_to_ts($1)
  RETURNING 1
)
SELECT count(*) FROM gone
