-- Telemetry storage (telemetry.md §5; SQLite 0006). Raw events live for the retention window in
-- daily partitions; their daily rollups stay. There is deliberately no column for an IP address,
-- a user agent, a cookie, an e-mail or a raw id.

-- Exactly the columns of telemetry.md §5, in that order, range-partitioned by UTC day on
-- occurred_at. Daily partitions telemetry_events_pYYYYMMDD are made ahead of time by
-- telemetry_ensure_partitions (0007) and dropped whole by telemetry_expire_before (0008).
CREATE TABLE telemetry_events (
  id             uuid NOT NULL,               -- UUIDv7
  event_id       uuid,                        -- client-chosen; unique through telemetry_event_ids
  surface        text NOT NULL,
  -- COLLATE "C": the statistics order by event in SQLite's byte order.
  event          text COLLATE "C" NOT NULL,
  org_hash       text,
  user_hash      text,
  -- jsonb, as telemetry.md §5 says: queried by containment and indexable with GIN. It keeps
  -- the object, not its text (keys re-ordered), so readers compare parsed JSON.
  properties     jsonb NOT NULL DEFAULT '{}',
  schema_version integer NOT NULL,
  origin         text NOT NULL,
  key_id         text,
  occurred_at    timestamptz NOT NULL,
  received_at    timestamptz NOT NULL,
  -- A unique constraint of a partitioned table must contain the partition key, so the primary
  -- key is (id, occurred_at) instead of (id). Ids are UUIDv7 made by the server: (id) alone is
  -- unique in practice, and nothing looks a row up by id.
  CONSTRAINT telemetry_events_pkey PRIMARY KEY (id, occurred_at),
  CONSTRAINT telemetry_events_origin_check CHECK (origin IN ('server', 'ingest')),
  -- Not in SQLite: properties are always a JSON object (the envelope validator and the emitter).
  CONSTRAINT telemetry_events_properties_check CHECK (jsonb_typeof(properties) = 'object')
)
PARTITION BY RANGE (occurred_at);

-- Created on every partition: counts of the last 24 hours and 7 days read a range of one or two
-- partitions, and the default partition is searched by time when it is emptied.
CREATE INDEX telemetry_events_by_time ON telemetry_events (occurred_at);

-- Rows of a day without a partition land here rather than failing their whole batch: the public
-- endpoint accepts any occurred_at from the retention window to 24 h ahead, and a write must not
-- fail because the partition job is late or an instance's clock is off. Normally it stays empty:
-- telemetry_ensure_partitions covers the window, and moves any rows of a day it creates out of
-- here; telemetry_expire_before deletes (after rolling up) whatever here is older than the cutoff.
CREATE TABLE telemetry_events_default PARTITION OF telemetry_events DEFAULT;

-- The de-duplication registry: event_id must be unique across all partitions, which no index of
-- the partitioned table can enforce (its unique indexes must include occurred_at). Every stored
-- event_id has one row here, inserted by the same statement as its event (README.md, "insert a
-- batch"), with the event's occurred_at so that retention prunes it with the event.
CREATE TABLE telemetry_event_ids (
  event_id    uuid PRIMARY KEY,
  occurred_at timestamptz NOT NULL
);
CREATE INDEX telemetry_event_ids_by_time ON telemetry_event_ids (occurred_at);

-- One row per UTC day, surface and event, computed before the day's raw rows go. Counts only: no
-- hash survives the raw rows. Kept indefinitely.
CREATE TABLE telemetry_daily (
  day            date NOT NULL,
  surface        text NOT NULL,
  event          text COLLATE "C" NOT NULL,
  count          bigint NOT NULL,
  distinct_orgs  bigint NOT NULL,
  distinct_users bigint NOT NULL,
  CONSTRAINT telemetry_daily_pkey PRIMARY KEY (day, surface, event)
);
