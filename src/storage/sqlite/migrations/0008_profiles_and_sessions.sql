-- The user object's avatar_url and last_login_at, and what the session list shows (api.md,
-- "Sessions"): the login's User-Agent, the last refresh, and when the session ends (the expiry of
-- the family's current refresh token); and when the user last exported their data (at most one
-- export a minute). Times in unix milliseconds.
ALTER TABLE users ADD COLUMN avatar_url TEXT;
ALTER TABLE users ADD COLUMN last_login_at INTEGER;
ALTER TABLE users ADD COLUMN last_export_at INTEGER;

ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN last_active_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions
SET last_active_at = coalesce((SELECT max(t.rotated_at) FROM refresh_tokens t
                               WHERE t.session_id = sessions.id), created_at),
    expires_at = coalesce((SELECT max(t.expires_at) FROM refresh_tokens t
                           WHERE t.session_id = sessions.id), created_at);

-- A person's audit entries across organizations, for their data export.
CREATE INDEX org_audit_log_by_actor ON org_audit_log (actor_id, seq);
