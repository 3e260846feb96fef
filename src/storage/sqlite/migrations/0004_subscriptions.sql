-- Product subscriptions: one row per (organization, product); "live" means any status but
-- 'canceled'. A canceled row is reactivated in place, so UNIQUE (org_id, product) also makes two
-- concurrent activations of one product end with exactly one live row.

CREATE TABLE subscriptions (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  product     TEXT NOT NULL
              CHECK (product IN ('ferrflow', 'ferrvault', 'ferrtrack', 'ferrgrowth', 'ferrfleet')),
  tier        TEXT NOT NULL CHECK (tier IN ('free', 'pro', 'team', 'enterprise')),
  status      TEXT NOT NULL
              CHECK (status IN ('trialing', 'active', 'past_due', 'canceled', 'incomplete')),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  canceled_at INTEGER,
  UNIQUE (org_id, product)
);
