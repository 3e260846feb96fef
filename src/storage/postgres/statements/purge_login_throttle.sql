-- $1 last failed before (ms), $2 now (ms). Housekeeping: login-throttle rows whose failure window
-- is over and whose lock (if any) is no longer in force; how many went. A failure racing with it
-- locks the row first, and the row is then checked again.
WITH gone AS (
  DELETE FROM login_throttle
  WHERE last_failure_at < ms_to_ts($1)
    AND (locked_until IS NULL OR locked_until <= ms_to_ts($2))
  RETURNING 1
)
SELECT count(*) FROM gone
