-- $1 org id, $2 e-mail. The active account of that address, and whether it is a member already.
SELECT u.id,
       EXISTS (SELECT 1
               FROM org_memberships m
               WHERE m.org_id = $1
                 AND m.user_id = u.id)
FROM users u
WHERE u.email = $2
  AND u.status = 'active'
