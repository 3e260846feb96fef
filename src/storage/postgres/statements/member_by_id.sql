-- $1 org id, $2 user id. Columns as members.
SELECT m.user_id, u.email, u.display_name, m.role, ts_to_ms(m.joined_at)
FROM org_memberships m
JOIN users u ON u.id = m.user_id
WHERE m.org_id = $1
  AND m.user_id = $2
