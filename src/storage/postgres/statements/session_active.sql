-- $1 session id, $2 user id: a row when the session is live and belongs to that user.
SELECT 1
FROM sessions
WHERE id = $1
  AND user_id = $2
  AND revoked_at IS NULL
