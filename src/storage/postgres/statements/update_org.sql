-- $1 name or NULL, $2 slug or NULL (NULL keeps the stored value), $3 now (ms), $4 org id. A
-- taken slug fails on organizations_slug_key.
UPDATE organizations
SET name = coalesce($1, name),
    slug = coalesce($2, slug),
    updated_at = ms_to_ts($3)
WHERE id = $4
