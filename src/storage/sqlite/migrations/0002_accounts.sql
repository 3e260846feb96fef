-- Accounts, sessions and everything the account rules keep between requests.
-- Ids are UUID text; times are Unix milliseconds (UTC).

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,          -- trimmed, lower-cased
  password_hash TEXT NOT NULL,                 -- argon2id PHC string
  status        TEXT NOT NULL CHECK (status IN ('pending', 'active')),
  display_name  TEXT,
  timezone      TEXT NOT NULL DEFAULT 'UTC',
  locale        TEXT NOT NULL DEFAULT 'en',
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

-- At most one outstanding code per pending account, stored as a keyed hash.
CREATE TABLE verification_codes (
  user_id         TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  code_hash       TEXT NOT NULL,
  expires_at      INTEGER NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0
);

-- When an account mail last went to an address (at most one a minute).
CREATE TABLE mail_throttle (
  email        TEXT PRIMARY KEY,
  last_sent_at INTEGER NOT NULL
);

-- Consecutive failed logins per address, known or not (so a lock reveals nothing).
CREATE TABLE login_throttle (
  email                TEXT PRIMARY KEY,
  consecutive_failures INTEGER NOT NULL,
  locked_until         INTEGER
);

-- A session is one login: the family of all its rotated refresh tokens.
CREATE TABLE sessions (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,                 -- SHA-256 of the token; the token itself is never stored
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  rotated_at INTEGER                           -- set when spent; presenting it again revokes the session
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);

CREATE TABLE user_prefs (
  user_id           TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  telemetry_opt_out INTEGER NOT NULL DEFAULT 0 CHECK (telemetry_opt_out IN (0, 1)),
  updated_at        INTEGER NOT NULL
);
