-- $1 user id, $2 now (ms): the user's live personal tokens (not revoked, not expired), newest
-- first. Columns: id, name, prefix, scopes, expires, last used, created.
SELECT id, name, token_prefix, scopes, ts_to_ms(expires_at), ts_to_ms(last_used_at),
       ts_to_ms(created_at)
FROM api_tokens
WHERE user_id = $1
  AND revoked_at IS NULL
  AND (expires_at IS NULL OR expires_at > ms_to_ts($2))
ORDER BY created_at DESC, id DESC
