-- Organizations, their members and their audit trail. Ids are UUID text; times are Unix ms.

CREATE TABLE organizations (
  id                TEXT PRIMARY KEY,
  slug              TEXT NOT NULL UNIQUE,
  name              TEXT NOT NULL,
  telemetry_opt_out INTEGER NOT NULL DEFAULT 0 CHECK (telemetry_opt_out IN (0, 1)),
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);

CREATE TABLE org_memberships (
  org_id    TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role      TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
  joined_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX org_memberships_by_user ON org_memberships (user_id);

-- Written in the same transaction as the change it records. `seq` orders entries exactly as they
-- were written (UUIDv7 ids made within one millisecond do not sort by time).
CREATE TABLE org_audit_log (
  seq        INTEGER PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE,
  org_id     TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  actor_id   TEXT NOT NULL,
  action     TEXT NOT NULL,
  target     TEXT NOT NULL,
  metadata   TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
);
CREATE INDEX org_audit_log_by_org ON org_audit_log (org_id, seq);
