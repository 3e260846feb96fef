-- $1 user id, $2 now (ms): the user's live sessions (not revoked, not expired), newest first.
SELECT id, user_agent, ts_to_ms(last_active_at), ts_to_ms(expires_at), ts_to_ms(created_at)
FROM sessions
WHERE user_id = $1
  AND revoked_at IS NULL
  AND expires_at > ms_to_ts($2)
ORDER BY created_at DESC, id DESC
