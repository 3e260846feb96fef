-- $1 a pseudonym (32 hex), $2 the evidence cap k. Deletes the raw rows linked to that person, the
-- rows that rows_of_pseudonym.sql shows them: their user_hash, or the actor_hash of the org events
-- they caused; answers how many. Daily rollups hold no pseudonym and stay. The hourly cells those
-- rows counted in are recomputed from the rows that stay (the statement still sees the deleted
-- rows, so they are left out by the same condition): counts drop, and no evidence names a
-- pseudonym whose events are gone.
WITH gone AS (
  DELETE FROM telemetry_events
  WHERE user_hash = $1
     OR properties ->> 'actor_hash' = $1
  RETURNING ts_to_ms(occurred_at) AS at, event
),
touched AS (
  SELECT DISTINCT at - at % 3600000 AS hour, event
  FROM gone
),
recounted AS (
  SELECT t.hour,
         t.event,
         count(e.event) AS n,
         coalesce((array_agg(DISTINCT e.org_hash ORDER BY e.org_hash)
                   FILTER (WHERE e.org_hash IS NOT NULL))[1:$2::int], '{}') AS orgs,
         coalesce((array_agg(DISTINCT e.user_hash ORDER BY e.user_hash)
                   FILTER (WHERE e.user_hash IS NOT NULL))[1:$2::int], '{}') AS users
  FROM touched t
  LEFT JOIN telemetry_events e
    ON e.event = t.event
   AND e.occurred_at >= ms_to_ts(t.hour)
   AND e.occurred_at < ms_to_ts(t.hour + 3600000)
   AND e.user_hash IS DISTINCT FROM $1
   AND (e.properties ->> 'actor_hash') IS DISTINCT FROM $1
  GROUP BY t.hour, t.event
),
updated AS (
  UPDATE telemetry_hourly h
  SET count = r.n, orgs = r.orgs, users = r.users
  FROM recounted r
  WHERE h.hour = r.hour
    AND h.event = r.event
)
SELECT count(*) FROM gone
