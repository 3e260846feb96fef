-- API tokens (PostgreSQL 0014 says why each column is as it is). Times are ms since the epoch.
CREATE TABLE api_tokens (
  id           TEXT PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  token_prefix TEXT NOT NULL,
  name         TEXT NOT NULL,
  scopes       TEXT NOT NULL CHECK (scopes IN ('*', 'read', '*,read')),
  user_id      TEXT REFERENCES users (id) ON DELETE CASCADE,
  org_id       TEXT REFERENCES organizations (id) ON DELETE CASCADE,
  owner        TEXT CHECK (owner IN ('creator', 'org')),
  created_by   TEXT NOT NULL,
  expires_at   INTEGER,
  last_used_at INTEGER,
  revoked_at   INTEGER,
  created_at   INTEGER NOT NULL,
  CHECK ((user_id IS NOT NULL AND org_id IS NULL AND owner IS NULL)
         OR (user_id IS NULL AND org_id IS NOT NULL AND owner IS NOT NULL))
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at) WHERE user_id IS NOT NULL;
CREATE INDEX api_tokens_by_org ON api_tokens (org_id, created_at) WHERE org_id IS NOT NULL;
CREATE INDEX api_tokens_by_creator ON api_tokens (created_by) WHERE owner = 'creator';

-- The session check of every authenticated statement: a live session or a live personal token.
CREATE VIEW live_credentials AS
SELECT id, user_id FROM sessions WHERE revoked_at IS NULL
UNION ALL
SELECT id, user_id FROM api_tokens WHERE revoked_at IS NULL AND user_id IS NOT NULL;

-- Audit rows written through an `org`-owned token have no human actor, and an idempotency key
-- belongs to a user or to such a token: SQLite cannot drop NOT NULL or a foreign key, so both
-- tables are rebuilt with the same rows (nothing references them).
CREATE TABLE org_audit_log_new (
  seq        INTEGER PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE,
  org_id     TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  actor_id   TEXT,
  action     TEXT NOT NULL,
  target     TEXT NOT NULL,
  metadata   TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
);
INSERT INTO org_audit_log_new (seq, id, org_id, actor_id, action, target, metadata, created_at)
SELECT seq, id, org_id, actor_id, action, target, metadata, created_at FROM org_audit_log;
DROP TABLE org_audit_log;
ALTER TABLE org_audit_log_new RENAME TO org_audit_log;
CREATE INDEX org_audit_log_by_org ON org_audit_log (org_id, seq);
CREATE INDEX org_audit_log_by_actor ON org_audit_log (actor_id, seq);

CREATE TABLE idempotency_keys_new (
  user_id     TEXT NOT NULL,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status      INTEGER,
  body        TEXT,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
);
INSERT INTO idempotency_keys_new (user_id, key, fingerprint, status, body, created_at)
SELECT user_id, key, fingerprint, status, body, created_at FROM idempotency_keys;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_new RENAME TO idempotency_keys;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
