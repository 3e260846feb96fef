-- $1 lock key. The housekeeping pass's transaction-level advisory lock: true when this instance
-- holds it (and runs the pass), false when another instance is running one.
SELECT pg_try_advisory_xact_lock($1)
