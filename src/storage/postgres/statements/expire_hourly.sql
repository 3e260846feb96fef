-- $1 cutoff (ms, a UTC midnight): the hourly counts of the expired raw rows go with them (their
-- days now live in telemetry_daily).
DELETE FROM telemetry_hourly
WHERE hour < $1
