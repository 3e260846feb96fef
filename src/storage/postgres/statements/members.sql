-- $1 org id. By joined_at; seq stands in for SQLite's rowid, so members who joined in the same
-- millisecond keep the order they were added in. The columns every member read returns.
SELECT m.user_id, u.email, u.display_name, m.role, ts_to_ms(m.joined_at)
FROM org_memberships m
JOIN users u ON u.id = m.user_id
WHERE m.org_id = $1
ORDER BY m.joined_at, m.seq
