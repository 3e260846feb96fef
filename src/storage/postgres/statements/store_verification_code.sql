-- $1 user id, $2 code hash, $3 expiry (ms). Replaces the outstanding code.
INSERT INTO verification_codes (user_id, code_hash, expires_at, failed_attempts)
VALUES ($1, $2, ms_to_ts($3), 0)
ON CONFLICT (user_id) DO UPDATE
SET code_hash = EXCLUDED.code_hash,
    expires_at = EXCLUDED.expires_at,
    failed_attempts = 0
