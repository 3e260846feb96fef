-- Product subscriptions (SQLite 0004): one row per (organization, product); "live" means any
-- status but 'canceled'. A canceled row is reactivated in place, so UNIQUE (org_id, product) is
-- also what makes two concurrent activations of one product end with exactly one row (see the
-- activation statement in README.md).

CREATE TABLE subscriptions (
  id          uuid PRIMARY KEY,
  org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  -- COLLATE "C": listed ORDER BY product, in SQLite's byte order.
  product     text COLLATE "C" NOT NULL,
  tier        text NOT NULL,
  status      text NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  canceled_at timestamptz,
  CONSTRAINT subscriptions_org_id_product_key UNIQUE (org_id, product),
  CONSTRAINT subscriptions_product_check
    CHECK (product IN ('ferrflow', 'ferrvault', 'ferrtrack', 'ferrgrowth', 'ferrfleet')),
  CONSTRAINT subscriptions_tier_check CHECK (tier IN ('free', 'pro', 'team', 'enterprise')),
  CONSTRAINT subscriptions_status_check
    CHECK (status IN ('trialing', 'active', 'past_due', 'canceled', 'incomplete'))
);
