-- $1 user id, $2 e-mail, $3 now (ms). The last write of an erasure (api.md "Deletion"): the org
-- tokens the user owns as `creator` are revoked, their idempotency keys and the throttle rows of
-- the address deleted, then the user row, which cascades to sessions, refresh tokens, personal
-- tokens, memberships, codes, resets and prefs. Audit entries keep actor_id (no foreign key).
WITH tokens AS (
  UPDATE api_tokens
  SET revoked_at = ms_to_ts($3)
  WHERE created_by = $1
    AND owner = 'creator'
    AND revoked_at IS NULL
),
keys AS (
  DELETE FROM idempotency_keys WHERE user_id = $1
),
logins AS (
  DELETE FROM login_throttle WHERE email = $2
),
mails AS (
  DELETE FROM mail_throttle WHERE email = $2
)
DELETE FROM users
WHERE id = $1
