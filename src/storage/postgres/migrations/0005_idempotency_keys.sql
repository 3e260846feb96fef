-- Responses kept for `Idempotency-Key` replays, 24 hours per (user, key) (SQLite 0005). `status`
-- and `body` are NULL while the first request is in flight. `fingerprint` identifies that request
-- (method, path and body), so the same key with another request is refused.

CREATE TABLE idempotency_keys (
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key         text NOT NULL,
  fingerprint text NOT NULL,
  status      integer,
  body        text,                            -- replayed byte for byte: text, not json
  created_at  timestamptz NOT NULL,
  CONSTRAINT idempotency_keys_pkey PRIMARY KEY (user_id, key)
);
-- Expiry deletes by age on every claim.
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
