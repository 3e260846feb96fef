-- $1 tier, $2 now (ms), $3 org id, $4 product. Columns as subscriptions_of.
UPDATE subscriptions
SET tier = $1,
    updated_at = ms_to_ts($2)
WHERE org_id = $3
  AND product = $4
RETURNING id, product, tier, status,
          ts_to_ms(created_at), ts_to_ms(updated_at), ts_to_ms(canceled_at)
