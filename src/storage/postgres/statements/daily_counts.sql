-- $1 from, $2 to (ms, UTC midnights, $2 excluded), $3 the evidence cap k. Per UTC day and event:
-- the hourly counts of the days still raw and the rollups of the expired ones, added together (a
-- late row of a rolled-up day adds to its rollup). The distinct counts of raw days are those of
-- the union of the cells' evidence, at most k (domain/telemetry/hourly_counts.hpp): k at once when
-- one cell holds k, else counted from the pseudonyms the cells hold.
WITH cells AS (
  SELECT hour / 86400000 AS day, event, count, orgs, users
  FROM telemetry_hourly
  WHERE hour >= $1
    AND hour < $2
),
totals AS (
  SELECT day,
         event,
         sum(count) AS n,
         max(cardinality(orgs)) >= $3::int AS orgs_full,
         max(cardinality(users)) >= $3::int AS users_full
  FROM cells
  GROUP BY day, event
  HAVING sum(count) > 0
),
-- The distinct pseudonyms of the days whose evidence is not full, orgs and users in one pass.
subjects AS (
  SELECT c.day,
         c.event,
         count(DISTINCT s.pseudonym) FILTER (WHERE s.is_org) AS orgs,
         count(DISTINCT s.pseudonym) FILTER (WHERE NOT s.is_org) AS users
  FROM cells c
  JOIN totals t ON t.day = c.day AND t.event = c.event
  CROSS JOIN LATERAL (
    SELECT true AS is_org, o AS pseudonym FROM unnest(c.orgs) AS o WHERE NOT t.orgs_full
    UNION ALL
    SELECT false, u FROM unnest(c.users) AS u WHERE NOT t.users_full
  ) AS s
  GROUP BY c.day, c.event
)
SELECT to_char(day, 'YYYY-MM-DD'), event, sum(n)::bigint, sum(orgs)::bigint, sum(users)::bigint
FROM (
  SELECT (to_timestamp(t.day * 86400) AT TIME ZONE 'UTC')::date AS day,
         t.event,
         t.n,
         CASE WHEN t.orgs_full THEN $3::int ELSE least(coalesce(s.orgs, 0), $3::int) END AS orgs,
         CASE WHEN t.users_full THEN $3::int ELSE least(coalesce(s.users, 0), $3::int) END AS users
  FROM totals t
  LEFT JOIN subjects s USING (day, event)
  UNION ALL
  SELECT day, event, count, distinct_orgs, distinct_users
  FROM telemetry_daily
  WHERE day >= (ms_to_ts($1) AT TIME ZONE 'UTC')::date
    AND day < (ms_to_ts($2) AT TIME ZONE 'UTC')::date
) AS t
GROUP BY day, event
ORDER BY day, event
