-- $1 e-mail, $2 now, $3 "not since" (ms). One row back = the mail may go.
INSERT INTO mail_throttle AS m (email, last_sent_at)
VALUES ($1, ms_to_ts($2))
ON CONFLICT (email) DO UPDATE
SET last_sent_at = EXCLUDED.last_sent_at
WHERE m.last_sent_at <= ms_to_ts($3)
RETURNING 1
