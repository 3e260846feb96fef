-- $1 locked until (ms), $2 e-mail. A lock only ever grows until the failures are reset, so two
-- failures that set theirs in either order leave the longer one.
UPDATE login_throttle
SET locked_until = GREATEST(locked_until, ms_to_ts($1))
WHERE email = $2
