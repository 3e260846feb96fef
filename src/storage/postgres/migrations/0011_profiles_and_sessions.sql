-- The user object's avatar_url and last_login_at, and what the session list shows (api.md,
-- "Sessions"): the login's User-Agent, the last refresh, and when the session ends; and when the
-- user last exported their data (at most one export a minute, on every instance).
ALTER TABLE users ADD COLUMN avatar_url text;
ALTER TABLE users ADD COLUMN last_login_at timestamptz;
ALTER TABLE users ADD COLUMN last_export_at timestamptz;

ALTER TABLE sessions ADD COLUMN user_agent text;
ALTER TABLE sessions ADD COLUMN last_active_at timestamptz;
-- The expiry of the family's current refresh token: the session ends with it.
ALTER TABLE sessions ADD COLUMN expires_at timestamptz;
UPDATE sessions s
SET last_active_at = coalesce((SELECT max(t.rotated_at) FROM refresh_tokens t
                               WHERE t.session_id = s.id), s.created_at),
    expires_at = coalesce((SELECT max(t.expires_at) FROM refresh_tokens t
                           WHERE t.session_id = s.id), s.created_at);
ALTER TABLE sessions ALTER COLUMN last_active_at SET NOT NULL;
ALTER TABLE sessions ALTER COLUMN expires_at SET NOT NULL;

-- A person's audit entries across organizations, for their data export.
CREATE INDEX org_audit_log_by_actor ON org_audit_log (actor_id, seq);
