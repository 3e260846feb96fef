-- $1 new id, $2 org, $3 product, $4 tier, $5 now (ms). A canceled row is reactivated in place
-- (keeps its id and created_at); a live row is left alone and nothing is returned. Columns as
-- subscriptions_of.
INSERT INTO subscriptions AS s (id, org_id, product, tier, status, created_at, updated_at)
VALUES ($1, $2, $3, $4, 'active', ms_to_ts($5), ms_to_ts($5))
ON CONFLICT (org_id, product) DO UPDATE
SET tier = EXCLUDED.tier,
    status = 'active',
    updated_at = EXCLUDED.updated_at,
    canceled_at = NULL
WHERE s.status = 'canceled'
RETURNING s.id, s.product, s.tier, s.status,
          ts_to_ms(s.created_at), ts_to_ms(s.updated_at), ts_to_ms(s.canceled_at)
