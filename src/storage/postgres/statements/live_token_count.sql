-- $1 user id (personal tokens) or NULL, $2 org id (org tokens) or NULL, $3 now (ms): how many
-- live tokens (not revoked, not expired) the holder has. Run after locking the holder (lock_user
-- or lock_org), so the count stands until commit.
SELECT count(*)
FROM api_tokens
WHERE (user_id = $1::uuid OR org_id = $2::uuid)
  AND revoked_at IS NULL
  AND (expires_at IS NULL OR expires_at > ms_to_ts($3))
