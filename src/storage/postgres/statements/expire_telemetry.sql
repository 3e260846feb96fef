-- $1 cutoff (ms): rolls up, then drops whole day partitions (and trims the rest).
SELECT days_rolled_up, rows_deleted
FROM telemetry_expire_before(ms_to_ts($1))
