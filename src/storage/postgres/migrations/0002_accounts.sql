-- Accounts, sessions and everything the account rules keep between requests (SQLite 0002).
-- Ids are uuid; times are timestamptz (whole milliseconds, see 0001). Constraints are named so
-- that the store can tell which one a unique violation (SQLSTATE 23505) hit.

CREATE TABLE users (
  id            uuid PRIMARY KEY,
  -- Trimmed and lower-cased by the service. Unique byte for byte, as in SQLite: no lower()
  -- index, whose folding would follow the database's locale rather than the service's.
  email         text NOT NULL,
  password_hash text NOT NULL,                 -- argon2id PHC string
  status        text NOT NULL,
  display_name  text,
  timezone      text NOT NULL DEFAULT 'UTC',
  locale        text NOT NULL DEFAULT 'en',
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  CONSTRAINT users_email_key UNIQUE (email),
  CONSTRAINT users_status_check CHECK (status IN ('pending', 'active'))
);

-- At most one outstanding code per pending account, stored as a keyed hash.
CREATE TABLE verification_codes (
  user_id         uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  code_hash       text NOT NULL,
  expires_at      timestamptz NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0
);

-- When an account mail last went to an address (at most one a minute).
CREATE TABLE mail_throttle (
  email        text PRIMARY KEY,
  last_sent_at timestamptz NOT NULL
);

-- Consecutive failed logins per address, known or not (so a lock reveals nothing): no foreign
-- key to users on purpose.
CREATE TABLE login_throttle (
  email                text PRIMARY KEY,
  consecutive_failures integer NOT NULL,
  locked_until         timestamptz
);

-- A session is one login: the family of all its rotated refresh tokens.
CREATE TABLE sessions (
  id         uuid PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
  token_hash text PRIMARY KEY,                 -- hash of the token; the token itself is never stored
  session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  rotated_at timestamptz                       -- set when spent; presenting it again revokes the session
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

CREATE TABLE password_resets (
  token_hash text PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
-- Not in SQLite: PostgreSQL does not index a referencing column by itself, and without this
-- index deleting a user would scan the whole table for its reset tokens.
CREATE INDEX password_resets_by_user ON password_resets (user_id);

-- No row means "not opted out" (telemetry.md §5).
CREATE TABLE user_prefs (
  user_id           uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  telemetry_opt_out boolean NOT NULL DEFAULT false,
  updated_at        timestamptz NOT NULL
);
