-- When an address last failed to log in (SQLite 0010): housekeeping forgets its consecutive
-- failures a day after the last one, once its lock is over (docs/accounts.md, "Housekeeping").
-- Rows already there start their window at the migration; the statements always set it.
ALTER TABLE login_throttle ADD COLUMN last_failure_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE login_throttle ALTER COLUMN last_failure_at DROP DEFAULT;
