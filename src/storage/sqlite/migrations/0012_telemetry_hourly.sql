-- The hourly counts the public statistics read (domain/telemetry/hourly_counts.hpp): per UTC hour
-- (ms since the epoch, a multiple of 3 600 000) and event, the events stored and at most k
-- distinct org and user pseudonyms of them (sorted, separated by single spaces), kept by the
-- transactions that insert and erase events and removed with the raw rows at expiry.
CREATE TABLE telemetry_hourly (
  hour  INTEGER NOT NULL CHECK (hour % 3600000 = 0),
  event TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count >= 0),
  orgs  TEXT NOT NULL DEFAULT '',
  users TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (hour, event)
) WITHOUT ROWID;

-- The events already stored, counted once, in one pass (each distinct pseudonym of a cell ranked,
-- the smallest kept). The evidence is capped at 5, the default k: with a larger FERRLABS_STATS_K
-- these older cells can only suppress more, never less.
WITH counts AS (
  SELECT occurred_at - occurred_at % 3600000 AS hour, event, count(*) AS n
  FROM telemetry_events
  GROUP BY 1, 2
),
pseudonyms AS (
  SELECT hour, event, kind, h,
         row_number() OVER (PARTITION BY hour, event, kind ORDER BY h) AS rank
  FROM (SELECT DISTINCT occurred_at - occurred_at % 3600000 AS hour, event, 'org' AS kind,
                        org_hash AS h
        FROM telemetry_events
        WHERE org_hash IS NOT NULL
        UNION
        SELECT DISTINCT occurred_at - occurred_at % 3600000, event, 'user', user_hash
        FROM telemetry_events
        WHERE user_hash IS NOT NULL)
),
kept AS (
  SELECT hour, event, kind, group_concat(h, ' ') AS list
  FROM (SELECT * FROM pseudonyms WHERE rank <= 5 ORDER BY hour, event, kind, h)
  GROUP BY hour, event, kind
)
INSERT INTO telemetry_hourly (hour, event, count, orgs, users)
SELECT c.hour, c.event, c.n, coalesce(o.list, ''), coalesce(u.list, '')
FROM counts c
LEFT JOIN kept o ON o.hour = c.hour AND o.event = c.event AND o.kind = 'org'
LEFT JOIN kept u ON u.hour = c.hour AND u.event = c.event AND u.kind = 'user';
