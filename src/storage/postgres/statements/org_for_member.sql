-- $1 user, $2 slug, $3 session. The hot path of every organization route, in one statement:
-- always one row, whether the principal's session (or personal API token) is live and theirs,
-- then the org as org_by_id's columns (NULLs for a missing org, a non-member, or a dead session).
SELECT principal.live,
       o.id, o.slug, o.name, m.role,
       (SELECT count(*) FROM org_memberships c WHERE c.org_id = o.id),
       o.telemetry_opt_out, ts_to_ms(o.created_at), ts_to_ms(o.updated_at),
       (SELECT string_agg(s.tier, ',')
        FROM subscriptions s
        WHERE s.org_id = o.id
          AND s.status <> 'canceled')
FROM (SELECT EXISTS (SELECT 1
                     FROM live_credentials
                     WHERE id = $3
                       AND user_id = $1) AS live
      -- OFFSET 0 keeps the subquery a subquery: pulled up, its EXISTS would run twice (once
      -- for the output column, once for the join filter).
      OFFSET 0) AS principal
LEFT JOIN (organizations o
           JOIN org_memberships m ON m.org_id = o.id AND m.user_id = $1)
  ON principal.live AND o.slug = $2
