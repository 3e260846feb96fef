-- $1 user, $2 key.
SELECT fingerprint, status, body
FROM idempotency_keys
WHERE user_id = $1
  AND key = $2
