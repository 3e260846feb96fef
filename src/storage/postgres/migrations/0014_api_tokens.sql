-- API tokens (api.md "API tokens"): personal (user_id set, org_id NULL) and organization
-- (org_id set, user_id NULL). Only the SHA-256 of a token is stored. `created_by` has no foreign
-- key: an `org`-owned token outlives the person who made it, and the org token list still shows
-- who that was.
CREATE TABLE api_tokens (
  id           uuid PRIMARY KEY,
  token_hash   text NOT NULL UNIQUE,
  token_prefix text NOT NULL,
  name         text NOT NULL,
  scopes       text NOT NULL CHECK (scopes IN ('*', 'read', '*,read')),
  user_id      uuid REFERENCES users (id) ON DELETE CASCADE,
  org_id       uuid REFERENCES organizations (id) ON DELETE CASCADE,
  owner        text CHECK (owner IN ('creator', 'org')),
  created_by   uuid NOT NULL,
  expires_at   timestamptz,
  last_used_at timestamptz,
  revoked_at   timestamptz,
  created_at   timestamptz NOT NULL,
  CHECK ((user_id IS NOT NULL AND org_id IS NULL AND owner IS NULL)
         OR (user_id IS NULL AND org_id IS NOT NULL AND owner IS NOT NULL))
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at) WHERE user_id IS NOT NULL;
CREATE INDEX api_tokens_by_org ON api_tokens (org_id, created_at) WHERE org_id IS NOT NULL;
CREATE INDEX api_tokens_by_creator ON api_tokens (created_by) WHERE owner = 'creator';

-- What the session check of every authenticated statement looks up: a live login session, or a
-- live personal token (its expiry is checked when it is presented). Both ids are UUIDv7s drawn
-- by the server, so one id names one credential.
CREATE VIEW live_credentials AS
SELECT id, user_id FROM sessions WHERE revoked_at IS NULL
UNION ALL
SELECT id, user_id FROM api_tokens WHERE revoked_at IS NULL AND user_id IS NOT NULL;

-- Audit rows written through an `org`-owned token have no human actor.
ALTER TABLE org_audit_log ALTER COLUMN actor_id DROP NOT NULL;

-- An idempotency key belongs to its caller: a user, or an `org`-owned token (which is no user).
-- Deleting an account deletes its keys explicitly.
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_user_id_fkey;
