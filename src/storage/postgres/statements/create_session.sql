-- $1 session id, $2 user id, $3 now (ms).
INSERT INTO sessions (id, user_id, created_at)
VALUES ($1, $2, ms_to_ts($3))
