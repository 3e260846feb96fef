-- $1 token hash, $2 session id, $3 expiry (ms).
INSERT INTO refresh_tokens (token_hash, session_id, expires_at)
VALUES ($1, $2, ms_to_ts($3))
