-- $1 e-mail. Concurrent failures of one address serialise on its row, so each sees its own count.
INSERT INTO login_throttle AS t (email, consecutive_failures)
VALUES ($1, 1)
ON CONFLICT (email) DO UPDATE
SET consecutive_failures = t.consecutive_failures + 1
RETURNING consecutive_failures
