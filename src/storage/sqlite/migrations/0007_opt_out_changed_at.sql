-- When each telemetry opt-out flag last changed value, in unix milliseconds (telemetry.md §3).
-- The emitter's writer drops a server event whose subject is opted out now, or whose flag changed
-- after the event occurred. NULL: never changed since the row was made (the flag is false).
ALTER TABLE organizations ADD COLUMN telemetry_opt_out_changed_at INTEGER;
ALTER TABLE user_prefs ADD COLUMN telemetry_opt_out_changed_at INTEGER;
