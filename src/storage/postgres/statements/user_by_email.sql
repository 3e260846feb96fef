-- $1 e-mail. The columns every user read returns, in this order.
SELECT id, email, status, display_name, timezone, locale,
       ts_to_ms(created_at), ts_to_ms(updated_at), password_hash,
       avatar_url, ts_to_ms(last_login_at)
FROM users
WHERE email = $1
