-- $1 expired before (ms). Housekeeping: verification codes long expired; how many went.
WITH gone AS (
  DELETE FROM verification_codes
  WHERE expires_at < ms_to_ts($1)
  RETURNING 1
)
SELECT count(*) FROM gone
