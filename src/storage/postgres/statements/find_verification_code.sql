-- $1 e-mail. The account and its outstanding code (NULLs when there is none).
SELECT u.id, u.status, v.code_hash, ts_to_ms(v.expires_at), v.failed_attempts
FROM users u
LEFT JOIN verification_codes v ON v.user_id = u.id
WHERE u.email = $1
