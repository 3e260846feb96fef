-- $1 user. Their organizations by slug; columns as org_by_id.
SELECT o.id, o.slug, o.name, m.role,
       (SELECT count(*) FROM org_memberships c WHERE c.org_id = o.id),
       o.telemetry_opt_out, ts_to_ms(o.created_at), ts_to_ms(o.updated_at),
       (SELECT string_agg(s.tier, ',')
        FROM subscriptions s
        WHERE s.org_id = o.id
          AND s.status <> 'canceled')
FROM organizations o
JOIN org_memberships m ON m.org_id = o.id AND m.user_id = $1
ORDER BY o.slug
