-- $1 org id. Every row, canceled ones included, by product. The columns every subscription read
-- returns, in this order.
SELECT id, product, tier, status,
       ts_to_ms(created_at), ts_to_ms(updated_at), ts_to_ms(canceled_at)
FROM subscriptions
WHERE org_id = $1
ORDER BY product
