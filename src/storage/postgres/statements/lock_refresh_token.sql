-- $1 token hash. The token and its session, the token locked until commit: the same token
-- presented twice at once waits here, then sees it spent.
SELECT t.session_id, s.user_id, ts_to_ms(t.expires_at), ts_to_ms(t.rotated_at),
       s.revoked_at IS NOT NULL
FROM refresh_tokens t
JOIN sessions s ON s.id = t.session_id
WHERE t.token_hash = $1
FOR UPDATE OF t
