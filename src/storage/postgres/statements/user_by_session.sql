-- $1 user id, $2 session id: the user, only while that session (or personal API token) of
-- theirs is live (one lookup for the session check and the read). Columns as user_by_email.
SELECT u.id, u.email, u.status, u.display_name, u.timezone, u.locale,
       ts_to_ms(u.created_at), ts_to_ms(u.updated_at), u.password_hash,
       u.avatar_url, ts_to_ms(u.last_login_at)
FROM users u
JOIN live_credentials s ON s.user_id = u.id
WHERE u.id = $1
  AND s.id = $2
