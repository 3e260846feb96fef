-- $1 now (ms), $2 user id. Activates a pending account and deletes its code in one statement;
-- the answer is 1 when it was pending. A concurrent activation waits on the row, then finds it
-- active and changes nothing.
WITH activated AS (
  UPDATE users
  SET status = 'active',
      updated_at = ms_to_ts($1)
  WHERE id = $2
    AND status = 'pending'
  RETURNING id
),
spent_code AS (
  DELETE FROM verification_codes v
  USING activated a
  WHERE v.user_id = a.id
)
SELECT count(*)
FROM activated
