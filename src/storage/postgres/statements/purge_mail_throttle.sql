-- $1 last mailed before (ms). Housekeeping: mail-throttle rows long past their interval; how many
-- went.
WITH gone AS (
  DELETE FROM mail_throttle
  WHERE last_sent_at < ms_to_ts($1)
  RETURNING 1
)
SELECT count(*) FROM gone
