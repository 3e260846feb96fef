-- Telemetry (telemetry.md §5). Raw events live for the retention window; their daily rollups stay.
-- There is deliberately no column for an IP address, a user agent, a cookie, an e-mail or a raw id.

CREATE TABLE telemetry_events (
  id             TEXT PRIMARY KEY,
  event_id       TEXT UNIQUE,
  surface        TEXT NOT NULL,
  event          TEXT NOT NULL,
  org_hash       TEXT,
  user_hash      TEXT,
  properties     TEXT NOT NULL DEFAULT '{}',
  schema_version INTEGER NOT NULL,
  origin         TEXT NOT NULL CHECK (origin IN ('server', 'ingest')),
  key_id         TEXT,
  occurred_at    INTEGER NOT NULL,
  received_at    INTEGER NOT NULL
);
CREATE INDEX telemetry_events_by_time ON telemetry_events (occurred_at);

-- One row per UTC day, surface and event, computed before the day's raw rows expire. Counts only:
-- no hash survives the raw rows.
CREATE TABLE telemetry_daily (
  day            TEXT NOT NULL,
  surface        TEXT NOT NULL,
  event          TEXT NOT NULL,
  count          INTEGER NOT NULL,
  distinct_orgs  INTEGER NOT NULL,
  distinct_users INTEGER NOT NULL,
  PRIMARY KEY (day, surface, event)
);
