-- $1 set display name?, $2 display name, $3 set timezone?, $4 timezone, $5 set locale?,
-- $6 locale, $7 now (ms), $8 user id, $9 session id, $10 set avatar url?, $11 avatar url.
-- Changes only the members the patch carries, and only while the session is live and the
-- user's: no row back otherwise. Columns as user_by_email.
UPDATE users u
SET display_name = CASE WHEN $1::boolean THEN $2::text ELSE u.display_name END,
    timezone = CASE WHEN $3::boolean THEN $4::text ELSE u.timezone END,
    locale = CASE WHEN $5::boolean THEN $6::text ELSE u.locale END,
    avatar_url = CASE WHEN $10::boolean THEN $11::text ELSE u.avatar_url END,
    updated_at = ms_to_ts($7)
WHERE u.id = $8
  AND EXISTS (SELECT 1
              FROM live_credentials s
              WHERE s.id = $9
                AND s.user_id = u.id)
RETURNING u.id, u.email, u.status, u.display_name, u.timezone, u.locale,
          ts_to_ms(u.created_at), ts_to_ms(u.updated_at), u.password_hash,
          u.avatar_url, ts_to_ms(u.last_login_at)
