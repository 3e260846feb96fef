-- $1 user id, $2 now (ms), $3 "not since" (ms). Records an export unless one was made after $3.
-- One row: whether it was recorded, and the previous export's time (ms) or NULL (the main query
-- sees the row as it was before the update).
WITH claimed AS (
  UPDATE users
  SET last_export_at = ms_to_ts($2)
  WHERE id = $1
    AND (last_export_at IS NULL OR last_export_at <= ms_to_ts($3))
  RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM claimed),
       (SELECT ts_to_ms(last_export_at) FROM users WHERE id = $1)
