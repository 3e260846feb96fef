-- $1 password hash, $2 now (ms), $3 user id.
UPDATE users
SET password_hash = $1,
    updated_at = ms_to_ts($2)
WHERE id = $3
