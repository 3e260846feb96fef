-- $1 token hash, $2 user id, $3 now, $4 expiry (ms).
INSERT INTO password_resets (token_hash, user_id, created_at, expires_at)
VALUES ($1, $2, ms_to_ts($3), ms_to_ts($4))
