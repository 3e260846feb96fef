-- Organizations, their members and their audit trail (SQLite 0003). Ids are uuid; times are
-- timestamptz (whole milliseconds, see 0001).

CREATE TABLE organizations (
  id                uuid PRIMARY KEY,
  -- COLLATE "C": orgs are listed ORDER BY slug, and SQLite orders bytes; a linguistic collation
  -- would sort '-' differently. Equality is byte-wise either way.
  slug              text COLLATE "C" NOT NULL,
  name              text NOT NULL,
  telemetry_opt_out boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  CONSTRAINT organizations_slug_key UNIQUE (slug)
);

CREATE TABLE org_memberships (
  org_id    uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role      text NOT NULL,
  joined_at timestamptz NOT NULL,
  -- Not in SQLite: members are listed ORDER BY joined_at and then SQLite's implicit rowid, so two
  -- members added within one millisecond keep the order they were added in. PostgreSQL has no
  -- rowid; this column plays its part (ORDER BY joined_at, seq).
  seq       bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT org_memberships_pkey PRIMARY KEY (org_id, user_id),
  CONSTRAINT org_memberships_role_check CHECK (role IN ('owner', 'admin', 'member', 'viewer'))
);
CREATE INDEX org_memberships_by_user ON org_memberships (user_id);

-- Written in the same transaction as the change it records. `seq` orders entries as they were
-- written (UUIDv7 ids made within one millisecond do not sort by time); SQLite's INTEGER PRIMARY
-- KEY numbers rows by itself, an identity column does the same here.
CREATE TABLE org_audit_log (
  seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id         uuid NOT NULL,
  org_id     uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  actor_id   uuid NOT NULL,                   -- no foreign key, as in SQLite: the trail outlives users
  action     text NOT NULL,
  target     text NOT NULL,
  -- json, not jsonb: the API returns the entry's metadata, and jsonb would reorder its keys
  -- ({"to":…,"from":…}) and respace it; json keeps the text as written and still rejects text
  -- that is not JSON.
  metadata   json NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  CONSTRAINT org_audit_log_id_key UNIQUE (id),
  -- Not in SQLite: the service always writes an object (api.md "metadata"), so enforce it.
  CONSTRAINT org_audit_log_metadata_check CHECK (json_typeof(metadata) = 'object')
);
CREATE INDEX org_audit_log_by_org ON org_audit_log (org_id, seq);
