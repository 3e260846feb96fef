-- $1 from, $2 to (ms, UTC midnights, $2 excluded). Per UTC day and event: raw rows and
-- rollups together (a day is one or the other).
SELECT to_char(day, 'YYYY-MM-DD') AS day,
       event,
       sum(n)::bigint,
       sum(orgs)::bigint,
       sum(users)::bigint
FROM (
  SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day,
         event,
         count(*) AS n,
         count(DISTINCT org_hash) AS orgs,
         count(DISTINCT user_hash) AS users
  FROM telemetry_events
  WHERE occurred_at >= ms_to_ts($1)
    AND occurred_at < ms_to_ts($2)
  GROUP BY 1, 2
  UNION ALL
  SELECT day, event, count, distinct_orgs, distinct_users
  FROM telemetry_daily
  WHERE day >= (ms_to_ts($1) AT TIME ZONE 'UTC')::date
    AND day < (ms_to_ts($2) AT TIME ZONE 'UTC')::date
) AS t
GROUP BY t.day, t.event
ORDER BY t.day, t.event
