-- $1 user id. Locks the user's row until commit: the first statement of a transaction that
-- counts the user's tokens before adding one, so two creations cannot both pass the limit.
SELECT 1
FROM users
WHERE id = $1
FOR UPDATE
