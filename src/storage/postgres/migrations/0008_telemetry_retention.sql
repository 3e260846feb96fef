-- Retention of raw telemetry (telemetry.md §5): roll up, then drop whole daily partitions.
--
-- telemetry_expire_before(cutoff) does what SqliteTelemetryStore::expire_before does, in one
-- transaction: every UTC day with raw rows before `cutoff` gets its telemetry_daily row (count,
-- distinct org_hash, distinct user_hash; NULL hashes are not counted), then those rows go, and
-- the de-duplication ids of events before the cutoff are pruned with them. It answers the number
-- of days rolled up and of raw rows removed (the `Expiry` of the domain).
--
-- Where the rows go:
--   * a daily partition that ends at or before the cutoff is locked against writes (SHARE),
--     rolled up and DROPped: no row-by-row delete, no dead tuples;
--   * the partition holding the cutoff, when the cutoff is not a midnight (the domain always
--     passes a midnight; SQLite accepts any instant, so this does too), and the default
--     partition lose their rows before the cutoff by DELETE … RETURNING, and the rollup is
--     computed from exactly the rows deleted.
-- Either way the rollup counts exactly the rows removed, even with writers running.
--
-- Merge rule, as in SQLite: a day is normally rolled up once (whole days go together); if a
-- rollup of that day, surface and event already exists, counts are added and the distinct
-- counts keep the larger value (they become lower bounds).
--
-- Concurrency: the advisory lock of partition maintenance (shared with
-- telemetry_ensure_partitions) makes a second instance wait, then find nothing left before the
-- cutoff: it answers (0, 0) and rolls nothing up twice. READ COMMITTED is required, as for
-- telemetry_ensure_partitions. Dropping a partition takes a short ACCESS EXCLUSIVE lock on
-- telemetry_events; lock_timeout bounds that wait (and the others) to 5 s so that a long query
-- cannot make the retention job stall every insert queued behind it: the job fails, logs and
-- retries on its next pass.
CREATE FUNCTION telemetry_expire_before(cutoff timestamptz)
RETURNS TABLE (days_rolled_up bigint, rows_deleted bigint)
LANGUAGE plpgsql
SET lock_timeout = '5s'
AS $fn$
DECLARE
  parent       regclass := 'telemetry_events'::regclass;
  default_part regclass;
  part         record;
  doomed       regclass[] := '{}';
  trimmed      regclass[] := '{}';
  rel          regclass;
  source       text;
  got_rows     bigint;
  got_days     date[];
  all_days     date[] := '{}';
  total_rows   bigint := 0;
  -- Rolls up the rows the CTE `expired` yields (%s: a SELECT or a DELETE … RETURNING) into
  -- telemetry_daily, and answers how many rows that was and which days they covered.
  rollup CONSTANT text := $sql$
    WITH expired AS (
      %s
    ),
    rolled AS (
      INSERT INTO telemetry_daily AS d (day, surface, event, count, distinct_orgs, distinct_users)
      SELECT (occurred_at AT TIME ZONE 'UTC')::date,
             surface,
             event,
             count(*),
             count(DISTINCT org_hash),
             count(DISTINCT user_hash)
      FROM expired
      GROUP BY 1, 2, 3
      ON CONFLICT (day, surface, event) DO UPDATE
      SET count = d.count + EXCLUDED.count,
          distinct_orgs = GREATEST(d.distinct_orgs, EXCLUDED.distinct_orgs),
          distinct_users = GREATEST(d.distinct_users, EXCLUDED.distinct_users)
      RETURNING d.day
    )
    SELECT (SELECT count(*) FROM expired),
           ARRAY(SELECT DISTINCT day FROM rolled)
  $sql$;
BEGIN
  IF cutoff IS NULL THEN
    RAISE EXCEPTION 'telemetry_expire_before: the cutoff is NULL'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'telemetry_expire_before must run in READ COMMITTED'
      USING ERRCODE = 'invalid_transaction_state';
  END IF;

  PERFORM pg_advisory_xact_lock(28821989845394796);  -- 'ferrtel': partition maintenance

  SELECT nullif(partdefid, 0)::regclass
  INTO default_part
  FROM pg_partitioned_table
  WHERE partrelid = parent;

  -- The daily partitions, by the day their name carries (telemetry_ensure_partitions is the only
  -- author of partitions; the name is easier to trust than the text of the bound expression,
  -- whose format follows the session's DateStyle and TimeZone).
  FOR part IN
    SELECT c.oid::regclass AS rel,
           to_date(substring(c.relname FROM '^telemetry_events_p([0-9]{8})$'), 'YYYYMMDD') AS day
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = parent
      AND c.relname ~ '^telemetry_events_p[0-9]{8}$'
    ORDER BY 2
  LOOP
    IF (part.day + 1)::timestamp AT TIME ZONE 'UTC' <= cutoff THEN
      doomed := doomed || part.rel;
    ELSIF part.day::timestamp AT TIME ZONE 'UTC' < cutoff THEN
      trimmed := trimmed || part.rel;
    END IF;
  END LOOP;
  IF default_part IS NOT NULL THEN
    trimmed := trimmed || default_part;
  END IF;

  -- Writers of a doomed day are shut out first, so the rollup sees its final rows. Normally
  -- nobody writes there: the public endpoint rejects events older than the window.
  FOREACH rel IN ARRAY doomed LOOP
    EXECUTE format('LOCK TABLE %s IN SHARE MODE', rel);
  END LOOP;
  FOREACH rel IN ARRAY doomed LOOP
    source := format('SELECT occurred_at, surface, event, org_hash, user_hash FROM ONLY %s', rel);
    EXECUTE format(rollup, source) INTO got_rows, got_days;
    total_rows := total_rows + got_rows;
    all_days := all_days || got_days;
    EXECUTE format('DROP TABLE %s', rel);
  END LOOP;

  FOREACH rel IN ARRAY trimmed LOOP
    source := format(
      'DELETE FROM ONLY %s WHERE occurred_at < $1 '
      'RETURNING occurred_at, surface, event, org_hash, user_hash', rel);
    EXECUTE format(rollup, source) INTO got_rows, got_days USING cutoff;
    total_rows := total_rows + got_rows;
    all_days := all_days || got_days;
  END LOOP;

  -- The ids of the events just removed (and only those): a retry of one of them is now judged
  -- like a new event, as in SQLite once the row is deleted.
  DELETE FROM telemetry_event_ids
  WHERE occurred_at < cutoff;

  RETURN QUERY
  SELECT (SELECT count(DISTINCT d) FROM unnest(all_days) AS d),
         total_rows;
END;
$fn$;
