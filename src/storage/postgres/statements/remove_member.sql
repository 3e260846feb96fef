-- $1 org id, $2 user id.
DELETE FROM org_memberships
WHERE org_id = $1
  AND user_id = $2
