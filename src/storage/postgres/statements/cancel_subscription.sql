-- $1 now (ms), $2 org id, $3 product. Columns as subscriptions_of.
UPDATE subscriptions
SET status = 'canceled',
    canceled_at = ms_to_ts($1),
    updated_at = ms_to_ts($1)
WHERE org_id = $2
  AND product = $3
RETURNING id, product, tier, status,
          ts_to_ms(created_at), ts_to_ms(updated_at), ts_to_ms(canceled_at)
