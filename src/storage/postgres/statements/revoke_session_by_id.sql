-- $1 caller's user id, $2 caller's session (or personal API token) id, $3 session to revoke, $4 now (ms). One row:
-- whether the caller's session is live, and whether the session was one of the caller's user's
-- live ones and is now revoked (only done while the caller's is live).
WITH caller AS (
  SELECT 1
  FROM live_credentials
  WHERE id = $2
    AND user_id = $1
),
revoked AS (
  UPDATE sessions
  SET revoked_at = ms_to_ts($4)
  WHERE id = $3
    AND user_id = $1
    AND revoked_at IS NULL
    AND expires_at > ms_to_ts($4)
    AND EXISTS (SELECT 1 FROM caller)
  RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM caller), EXISTS (SELECT 1 FROM revoked)
