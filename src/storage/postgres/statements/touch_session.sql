-- $1 now (ms), $2 expiry of the new refresh token (ms), $3 session id: a rotation, the session's
-- last activity, and its end moved to the new token's.
UPDATE sessions
SET last_active_at = ms_to_ts($1),
    expires_at = ms_to_ts($2)
WHERE id = $3
