-- When each telemetry opt-out flag last changed value (telemetry.md §3). The emitter's writer
-- drops a server event whose subject is opted out now, or whose flag changed after the event
-- occurred: an event that waited in the queue while its subject opted out and back in was
-- emitted while opted out (or cannot be told apart from one that was), and is never stored.
-- NULL: never changed since the row was made (the flag still has its default, false).
ALTER TABLE organizations ADD COLUMN telemetry_opt_out_changed_at timestamptz;
ALTER TABLE user_prefs ADD COLUMN telemetry_opt_out_changed_at timestamptz;
