-- $1 since (ms), $2 the evidence cap k. Per event, over the hourly counts from the hour holding
-- $1 on (whole hours: up to an hour more than asked), with the distinct counts of the union of
-- the cells' evidence, at most k (domain/telemetry/hourly_counts.hpp): k at once when one cell
-- holds k, else counted from the pseudonyms the cells hold.
WITH cells AS (
  SELECT event, count, orgs, users
  FROM telemetry_hourly
  WHERE hour >= $1::bigint - $1::bigint % 3600000
),
totals AS (
  SELECT event,
         sum(count) AS n,
         max(cardinality(orgs)) >= $2::int AS orgs_full,
         max(cardinality(users)) >= $2::int AS users_full
  FROM cells
  GROUP BY event
  HAVING sum(count) > 0
)
SELECT t.event,
       t.n::bigint,
       CASE WHEN t.orgs_full THEN $2::int
            ELSE least((SELECT count(DISTINCT o) FROM cells c, unnest(c.orgs) AS o
                        WHERE c.event = t.event), $2::int) END::bigint,
       CASE WHEN t.users_full THEN $2::int
            ELSE least((SELECT count(DISTINCT u) FROM cells c, unnest(c.users) AS u
                        WHERE c.event = t.event), $2::int) END::bigint
FROM totals t
