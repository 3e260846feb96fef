-- $1 token hash.
SELECT r.user_id, u.email, ts_to_ms(r.expires_at), r.used_at IS NOT NULL
FROM password_resets r
JOIN users u ON u.id = r.user_id
WHERE r.token_hash = $1
