-- $1 org id. The first statement of every transaction that changes an organization: it
-- serialises the changes of one org across instances (as BEGIN IMMEDIATE did for the whole
-- SQLite database) and numbers its audit rows in commit order. A row back: the org exists.
SELECT 1
FROM organizations
WHERE id = $1
FOR NO KEY UPDATE
