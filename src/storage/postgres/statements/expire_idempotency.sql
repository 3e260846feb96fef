-- $1 expired before (ms). Expiry rides on the claims: an indexed range delete, empty most of the
-- time.
DELETE FROM idempotency_keys
WHERE created_at < ms_to_ts($1)
