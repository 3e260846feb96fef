-- $1 session id, $2 user id, $3 now (ms), $4 the login's User-Agent or NULL, $5 expiry of its
-- first refresh token (ms).
INSERT INTO sessions (id, user_id, created_at, user_agent, last_active_at, expires_at)
VALUES ($1, $2, ms_to_ts($3), $4, ms_to_ts($3), ms_to_ts($5))
