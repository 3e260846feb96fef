-- $1 user id. The user's memberships with what the last-owner rule needs, each org locked as
-- lock_org locks it, so no change of its owners slips between this read and the erasure: org id,
-- slug, role, the org's number of owners.
SELECT o.id, o.slug, m.role,
       (SELECT count(*) FROM org_memberships c WHERE c.org_id = o.id AND c.role = 'owner')
FROM org_memberships m
JOIN organizations o ON o.id = m.org_id
WHERE m.user_id = $1
ORDER BY o.id
FOR NO KEY UPDATE OF o
