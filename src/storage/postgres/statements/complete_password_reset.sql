-- $1 now (ms), $2 token hash, $3 user id, $4 e-mail, $5 new password hash. Spends the token and,
-- only if this statement spent it, sets the password, revokes every session and clears the
-- login throttle; the answer is 1 when it did. A concurrent completion waits on the token's row,
-- then finds it used and changes nothing.
WITH spent AS (
  UPDATE password_resets
  SET used_at = ms_to_ts($1)
  WHERE token_hash = $2
    AND used_at IS NULL
  RETURNING user_id
),
password AS (
  UPDATE users
  SET password_hash = $5,
      updated_at = ms_to_ts($1)
  WHERE id = $3
    AND EXISTS (SELECT 1 FROM spent)
),
revoked AS (
  UPDATE sessions
  SET revoked_at = ms_to_ts($1)
  WHERE user_id = $3
    AND revoked_at IS NULL
    AND EXISTS (SELECT 1 FROM spent)
),
unthrottled AS (
  DELETE FROM login_throttle
  WHERE email = $4
    AND EXISTS (SELECT 1 FROM spent)
)
SELECT count(*)
FROM spent
