-- $1 token id, $2 slug (NULL: whatever the token's org is called). At most one row, when the org
-- token exists and is not revoked (its expiry was checked when it was presented): its owner
-- (`creator` or `org`), its creator's current role in its org (NULL when no longer a member),
-- then the org as org_by_id's columns (NULLs when the slug names another org). The role column
-- is a placeholder: the domain decides what the token may do (org_access.cpp).
SELECT t.owner, m.role,
       o.id, o.slug, o.name, 'admin',
       (SELECT count(*) FROM org_memberships c WHERE c.org_id = o.id),
       o.telemetry_opt_out, ts_to_ms(o.created_at), ts_to_ms(o.updated_at),
       (SELECT string_agg(s.tier, ',')
        FROM subscriptions s
        WHERE s.org_id = o.id
          AND s.status <> 'canceled')
FROM api_tokens t
LEFT JOIN org_memberships m ON m.org_id = t.org_id AND m.user_id = t.created_by
LEFT JOIN organizations o ON o.id = t.org_id AND ($2::text IS NULL OR o.slug = $2::text)
WHERE t.id = $1
  AND t.org_id IS NOT NULL
  AND t.revoked_at IS NULL
