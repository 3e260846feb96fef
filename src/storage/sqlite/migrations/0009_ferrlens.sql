-- FerrLens, the sixth product (api.md "Subscriptions"; core/products.hpp holds the one product
-- table the code uses, which this check mirrors). SQLite cannot alter a CHECK constraint: the
-- table is rebuilt with the same columns, rows and constraints (nothing references it).
CREATE TABLE subscriptions_new (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  product     TEXT NOT NULL
              CHECK (product IN ('ferrflow', 'ferrvault', 'ferrtrack', 'ferrgrowth', 'ferrfleet',
                                 'ferrlens')),
  tier        TEXT NOT NULL CHECK (tier IN ('free', 'pro', 'team', 'enterprise')),
  status      TEXT NOT NULL
              CHECK (status IN ('trialing', 'active', 'past_due', 'canceled', 'incomplete')),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  canceled_at INTEGER,
  UNIQUE (org_id, product)
);
INSERT INTO subscriptions_new (id, org_id, product, tier, status, created_at, updated_at,
                               canceled_at)
SELECT id, org_id, product, tier, status, created_at, updated_at, canceled_at
FROM subscriptions;
DROP TABLE subscriptions;
ALTER TABLE subscriptions_new RENAME TO subscriptions;
