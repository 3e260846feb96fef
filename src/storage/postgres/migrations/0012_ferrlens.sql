-- FerrLens, the sixth product (api.md "Subscriptions"; core/products.hpp holds the one product
-- table the code uses, which this check mirrors).
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_product_check;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_product_check
  CHECK (product IN ('ferrflow', 'ferrvault', 'ferrtrack', 'ferrgrowth', 'ferrfleet', 'ferrlens'));
