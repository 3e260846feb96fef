-- $1 now (ms), $2 user id: a session started.
UPDATE users
SET last_login_at = ms_to_ts($1)
WHERE id = $2
