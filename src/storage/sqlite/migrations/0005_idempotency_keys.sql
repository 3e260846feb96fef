-- Responses kept for `Idempotency-Key` replays, 24 hours per (user, key). `status` and `body` are
-- NULL while the first request is in flight. `fingerprint` identifies that request (method, path
-- and body), so the same key with another request is refused.

CREATE TABLE idempotency_keys (
  user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status      INTEGER,
  body        TEXT,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
