-- When an address last failed to log in: housekeeping forgets its consecutive failures a day
-- after the last one, once its lock is over (docs/accounts.md, "Housekeeping"). Rows already
-- there start their window at the migration.
ALTER TABLE login_throttle ADD COLUMN last_failure_at INTEGER NOT NULL DEFAULT 0;
UPDATE login_throttle SET last_failure_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
