-- $1 org id, $2 user id, $3 role, $4 now (ms).
INSERT INTO org_memberships (org_id, user_id, role, joined_at)
VALUES ($1, $2, $3, ms_to_ts($4))
