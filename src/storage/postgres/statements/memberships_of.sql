-- $1 user id. Their memberships by slug.
SELECT o.id, o.slug, o.name, m.role, ts_to_ms(m.joined_at)
FROM org_memberships m
JOIN organizations o ON o.id = m.org_id
WHERE m.user_id = $1
ORDER BY o.slug
