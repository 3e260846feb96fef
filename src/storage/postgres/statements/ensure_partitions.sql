-- $1 first day (YYYY-MM-DD), $2 number of days: creates the missing day partitions, returns how
-- many it created.
SELECT telemetry_ensure_partitions($1, $2)
