-- Daily partitions of telemetry_events, made ahead of time (telemetry.md §5, issue 7).
--
-- telemetry_ensure_partitions(from_day, days) makes sure a partition telemetry_events_pYYYYMMDD
-- exists for each UTC day from from_day to from_day + days - 1, and returns how many it created.
-- Idempotent: days already partitioned are skipped. The store calls it at start-up and on every
-- retention pass with the window [today - retention days, today + 2]: with it, every row the
-- public endpoint accepts has its partition.
--
-- Safe when instances call it at once: it takes the transaction-level advisory lock of telemetry
-- partition maintenance (shared with telemetry_expire_before), so a second caller waits, then
-- finds the partitions made and creates none. It must run in READ COMMITTED (the default): every
-- statement then sees what the previous holder of the lock committed.
--
-- Locking: each partition is made as a plain table and then ATTACHed, which needs only a SHARE
-- UPDATE EXCLUSIVE lock on telemetry_events (inserts and reads go on), where CREATE TABLE …
-- PARTITION OF would take ACCESS EXCLUSIVE. The default partition is locked ACCESS EXCLUSIVE
-- (ATTACH takes that lock anyway, to check that none of its rows belongs to the new day); any
-- rows of the new day found there are moved into the new partition first. lock_timeout bounds
-- every wait: behind a long query, the call fails after 5 s (writes still land in the default
-- partition) and the next call retries, instead of stalling the inserts queued behind it.
CREATE FUNCTION telemetry_ensure_partitions(from_day date, days integer)
RETURNS integer
LANGUAGE plpgsql
SET lock_timeout = '5s'
AS $fn$
DECLARE
  parent       regclass := 'telemetry_events'::regclass;
  parent_ns    text;
  default_part regclass;
  default_held boolean := false;
  day          date;
  part_name    text;
  part         text;
  lower_text   text;
  upper_text   text;
  created      integer := 0;
BEGIN
  IF from_day IS NULL OR days IS NULL OR days < 0 OR days > 1000 THEN
    RAISE EXCEPTION 'telemetry_ensure_partitions: need a day and 0 to 1000 days, got % and %',
      from_day, days
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'telemetry_ensure_partitions must run in READ COMMITTED'
      USING ERRCODE = 'invalid_transaction_state';
  END IF;

  PERFORM pg_advisory_xact_lock(28821989845394796);  -- 'ferrtel': partition maintenance

  -- Partitions go beside their parent, whatever the search_path says.
  SELECT n.nspname
  INTO parent_ns
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = parent;
  SELECT nullif(partdefid, 0)::regclass
  INTO default_part
  FROM pg_partitioned_table
  WHERE partrelid = parent;

  FOR i IN 0 .. days - 1 LOOP
    day := from_day + i;
    part_name := 'telemetry_events_p' || to_char(day, 'YYYYMMDD');
    part := format('%I.%I', parent_ns, part_name);
    CONTINUE WHEN to_regclass(part) IS NOT NULL;

    -- UTC midnights as literals with an explicit offset: the bounds do not depend on the
    -- session's TimeZone.
    lower_text := to_char(day, 'YYYY-MM-DD') || ' 00:00:00+00';
    upper_text := to_char(day + 1, 'YYYY-MM-DD') || ' 00:00:00+00';

    IF default_part IS NOT NULL AND NOT default_held THEN
      EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', default_part);
      default_held := true;
    END IF;

    -- Same columns, defaults and CHECK constraints as the parent (ATTACH requires them); ATTACH
    -- adds the primary key and the index.
    EXECUTE format(
      'CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)',
      part, parent);
    IF default_part IS NOT NULL THEN
      EXECUTE format(
        'WITH moved AS ('
        '  DELETE FROM ONLY %s WHERE occurred_at >= $1 AND occurred_at < $2 RETURNING *) '
        'INSERT INTO %s SELECT * FROM moved',
        default_part, part)
      USING lower_text::timestamptz, upper_text::timestamptz;
    END IF;
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)',
                   parent, part, lower_text, upper_text);
    created := created + 1;
  END LOOP;
  RETURN created;
END;
$fn$;
