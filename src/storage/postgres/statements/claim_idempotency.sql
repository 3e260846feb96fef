-- $1 user, $2 key, $3 fingerprint, $4 now, $5 abandoned_before (ms). A row back: the key is ours
-- (new, or an in-flight entry whose request died). No row: someone else holds it; the row stays
-- locked by this statement until commit.
INSERT INTO idempotency_keys AS k (user_id, key, fingerprint, created_at)
VALUES ($1, $2, $3, ms_to_ts($4))
ON CONFLICT (user_id, key) DO UPDATE
SET fingerprint = EXCLUDED.fingerprint,
    created_at = EXCLUDED.created_at,
    status = NULL,
    body = NULL
WHERE k.status IS NULL
  AND k.created_at < ms_to_ts($5)
RETURNING true
