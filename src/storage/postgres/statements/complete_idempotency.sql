-- $1 status, $2 body, $3 user, $4 key.
UPDATE idempotency_keys
SET status = $1,
    body = $2
WHERE user_id = $3
  AND key = $4
