-- The batch as one array per column, element i of each being row i in batch order
-- (migrations/README.md, "Insert a batch"): $1 id, $2 event_id, $3 surface, $4 event,
-- $5 org_hash, $6 user_hash, $7 properties (the object's JSON text), $8 schema_version, $9 origin,
-- $10 key_id, $11 occurred_at and $12 received_at (unix ms); $13 the evidence cap k.
-- De-duplication (telemetry_event_ids), the insert and the hourly counts in one statement; one
-- answer row (ord, written) per input row, in batch order. Server rows arrive already filtered
-- by the opt-out rule (domain/telemetry/opt_out.hpp).
-- The batch, numbered from 1 in the order it was given.
WITH batch AS (
  SELECT *
  FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
              $8::integer[], $9::text[], $10::text[], $11::bigint[], $12::bigint[])
       WITH ORDINALITY AS b (id, event_id, surface, event, org_hash, user_hash, properties,
                             schema_version, origin, key_id, occurred_at, received_at, ord)
),
-- The first row of the batch carrying each event_id: later ones repeat it.
firsts AS (
  SELECT DISTINCT ON (event_id) event_id, ord, occurred_at
  FROM batch
  WHERE event_id IS NOT NULL
  ORDER BY event_id, ord
),
-- The ids nobody stored before. A concurrent transaction inserting the same id makes this wait
-- for its outcome: committed, ours is a duplicate; rolled back, ours is new. Inserted in id
-- order, as the store sends its chunks, so concurrent batches lock shared ids in one order and
-- cannot deadlock.
claimed AS (
  INSERT INTO telemetry_event_ids (event_id, occurred_at)
  SELECT event_id, ms_to_ts(occurred_at)
  FROM firsts
  ORDER BY event_id
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id
),
-- The rows that claimed a new id. An aggregate reads its whole input, so every id is claimed
-- (and every wait on a concurrent claim is over) before any row below is produced.
claimed_ords AS (
  SELECT array_agg(firsts.ord) AS ords
  FROM firsts
  JOIN claimed USING (event_id)
),
-- Rows to write: without event_id, or the first holder of a new one.
fresh AS (
  SELECT b.*
  FROM batch b
  WHERE b.event_id IS NULL
     OR b.ord IN (SELECT unnest(ords) FROM claimed_ords)
),
-- Each row lands in the partition of its UTC day (or the default partition).
written AS (
  INSERT INTO telemetry_events (id, event_id, surface, event, org_hash, user_hash, properties,
                                schema_version, origin, key_id, occurred_at, received_at)
  SELECT id, event_id, surface, event, org_hash, user_hash, properties::jsonb,
         schema_version, origin, key_id, ms_to_ts(occurred_at), ms_to_ts(received_at)
  FROM fresh
  ORDER BY ord
  RETURNING ts_to_ms(occurred_at) AS occurred_at, event, org_hash, user_hash
),
-- The hourly cells of what was written (domain/telemetry/hourly_counts.hpp): counts added, and
-- the evidence made the $13 smallest distinct pseudonyms of the old and the new. Cells are locked
-- after every registry id (claimed_ords) and in (hour, event) order, so concurrent batches
-- cannot deadlock. Read from `written`, not from `fresh`: every row is then inserted before the
-- first cell is locked. PostgreSQL runs the statement's unread data-modifying CTEs last, the
-- later one first; counting from `fresh` locked the cells (hot rows: every batch of the hour
-- shares them) and then inserted the rows, so a concurrent batch waited for the whole insert.
counted AS (
  INSERT INTO telemetry_hourly AS h (hour, event, count, orgs, users)
  SELECT occurred_at - occurred_at % 3600000,
         event,
         count(*),
         coalesce((array_agg(DISTINCT org_hash ORDER BY org_hash)
                   FILTER (WHERE org_hash IS NOT NULL))[1:$13::int], '{}'),
         coalesce((array_agg(DISTINCT user_hash ORDER BY user_hash)
                   FILTER (WHERE user_hash IS NOT NULL))[1:$13::int], '{}')
  FROM written
  GROUP BY 1, 2
  ORDER BY 1, 2
  ON CONFLICT (hour, event) DO UPDATE
  SET count = h.count + excluded.count,
      orgs = ARRAY(SELECT DISTINCT x FROM unnest(h.orgs || excluded.orgs) AS x
                   ORDER BY x LIMIT $13::int),
      users = ARRAY(SELECT DISTINCT x FROM unnest(h.users || excluded.users) AS x
                    ORDER BY x LIMIT $13::int)
)
-- One answer row per input row, in batch order.
SELECT b.ord,
       w.ord IS NOT NULL AS written
FROM batch b
LEFT JOIN fresh w ON w.ord = b.ord
ORDER BY b.ord
