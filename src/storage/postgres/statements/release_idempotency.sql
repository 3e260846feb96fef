-- $1 user, $2 key. Only an entry still in flight.
DELETE FROM idempotency_keys
WHERE user_id = $1
  AND key = $2
  AND status IS NULL
