-- $1 org id, $2 product. The row an activation, re-tier or cancel decides on, locked until
-- commit. Columns as subscriptions_of.
SELECT id, product, tier, status,
       ts_to_ms(created_at), ts_to_ms(updated_at), ts_to_ms(canceled_at)
FROM subscriptions
WHERE org_id = $1
  AND product = $2
FOR UPDATE
