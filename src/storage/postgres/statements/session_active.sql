-- $1 session id, $2 user id: a row when the session — or personal API token — is live and
-- belongs to that user (live_credentials, migrations 0014 and 0016).
SELECT 1
FROM live_credentials
WHERE id = $1
  AND user_id = $2
