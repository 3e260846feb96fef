-- $1 the caller's role (as the lookup that let them in found it: org_for_member or
-- org_for_token), $2 org id. The org as that caller sees it: id, slug, name, the role, member
-- count, opt-out, created, updated, and the tiers of its live subscriptions (comma-separated,
-- NULL for none: the plan is the highest). No row for a missing org.
SELECT o.id, o.slug, o.name, $1::text,
       (SELECT count(*) FROM org_memberships c WHERE c.org_id = o.id),
       o.telemetry_opt_out, ts_to_ms(o.created_at), ts_to_ms(o.updated_at),
       (SELECT string_agg(s.tier, ',')
        FROM subscriptions s
        WHERE s.org_id = o.id
          AND s.status <> 'canceled')
FROM organizations o
WHERE o.id = $2
