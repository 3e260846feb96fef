-- $1 e-mail. The account registration decides on, locked until commit (columns as
-- user_by_email).
SELECT id, email, status, display_name, timezone, locale,
       ts_to_ms(created_at), ts_to_ms(updated_at), password_hash,
       avatar_url, ts_to_ms(last_login_at)
FROM users
WHERE email = $1
FOR UPDATE
