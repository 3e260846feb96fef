-- $1 e-mail, $2 now (ms). Concurrent failures of one address serialise on its row, so each sees
-- its own count; the last failure's time only moves forward (the housekeeping window).
INSERT INTO login_throttle AS t (email, consecutive_failures, last_failure_at)
VALUES ($1, 1, ms_to_ts($2))
ON CONFLICT (email) DO UPDATE
SET consecutive_failures = t.consecutive_failures + 1,
    last_failure_at = greatest(t.last_failure_at, EXCLUDED.last_failure_at)
RETURNING consecutive_failures
