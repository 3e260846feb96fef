-- The hourly counts the public statistics read (domain/telemetry/hourly_counts.hpp): per UTC hour
-- (ms since the epoch, a multiple of 3 600 000) and event, the events stored and at most k
-- distinct org and user pseudonyms of them, kept by the statements that insert and erase events
-- and removed with the raw rows at expiry.
CREATE TABLE telemetry_hourly (
  hour  bigint NOT NULL CHECK (hour % 3600000 = 0),
  event text NOT NULL,
  count bigint NOT NULL CHECK (count >= 0),
  orgs  text[] NOT NULL DEFAULT '{}',
  users text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (hour, event)
);

-- The events already stored, counted once. The evidence is capped at 5, the default k: with a
-- larger FERRLABS_STATS_K these older cells can only suppress more, never less.
INSERT INTO telemetry_hourly (hour, event, count, orgs, users)
SELECT hour,
       event,
       count(*),
       coalesce((array_agg(DISTINCT org_hash) FILTER (WHERE org_hash IS NOT NULL))[1:5], '{}'),
       coalesce((array_agg(DISTINCT user_hash) FILTER (WHERE user_hash IS NOT NULL))[1:5], '{}')
FROM (SELECT ts_to_ms(occurred_at) - ts_to_ms(occurred_at) % 3600000 AS hour, event, org_hash,
             user_hash
      FROM telemetry_events) AS e
GROUP BY hour, event;
