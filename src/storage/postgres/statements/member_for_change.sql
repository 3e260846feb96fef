-- $1 org id, $2 user id. The member a role change or removal decides on, and the owners of the
-- org (this member included). Read after lock_org, so concurrent changes of the org have
-- committed: two owners demoting each other count one owner in the second transaction.
-- Columns as members, then the owner count.
SELECT m.user_id, u.email, u.display_name, m.role, ts_to_ms(m.joined_at),
       (SELECT count(*)
        FROM org_memberships o
        WHERE o.org_id = m.org_id
          AND o.role = 'owner')
FROM org_memberships m
JOIN users u ON u.id = m.user_id
WHERE m.org_id = $1
  AND m.user_id = $2
