-- $1 since (ms). Per event, over the raw rows.
SELECT event, count(*), count(DISTINCT org_hash), count(DISTINCT user_hash)
FROM telemetry_events
WHERE occurred_at >= ms_to_ts($1)
GROUP BY event
