-- $1 role, $2 org id, $3 user id. The member afterwards; columns as members.
UPDATE org_memberships m
SET role = $1
FROM users u
WHERE u.id = m.user_id
  AND m.org_id = $2
  AND m.user_id = $3
RETURNING m.user_id, u.email, u.display_name, m.role, ts_to_ms(m.joined_at)
