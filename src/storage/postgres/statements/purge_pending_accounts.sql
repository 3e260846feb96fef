-- $1 last registered before (ms), $2 now (ms). Housekeeping: pending accounts whose last
-- registration is older than the cut-off and that hold no verification code still valid (their
-- codes go with them); how many went. An active account never matches. A registration or an
-- activation racing with it locks the row first, and the row is then checked again.
WITH gone AS (
  DELETE FROM users u
  WHERE u.status = 'pending'
    AND u.updated_at < ms_to_ts($1)
    AND NOT EXISTS (SELECT 1 FROM verification_codes c
                    WHERE c.user_id = u.id AND c.expires_at > ms_to_ts($2))
  RETURNING 1
)
SELECT count(*) FROM gone
