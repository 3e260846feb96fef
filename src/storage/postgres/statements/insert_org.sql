-- $1 id, $2 slug, $3 name, $4 now (ms). No row back: the slug is taken (after waiting for a
-- concurrent creation of it to commit or roll back).
INSERT INTO organizations (id, slug, name, created_at, updated_at)
VALUES ($1, $2, $3, ms_to_ts($4), ms_to_ts($4))
ON CONFLICT (slug) DO NOTHING
RETURNING id
