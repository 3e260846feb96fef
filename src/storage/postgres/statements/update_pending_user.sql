-- $1 password hash, $2 display name or NULL (keeps the stored one), $3 now (ms), $4 user id.
UPDATE users
SET password_hash = $1,
    display_name = coalesce($2, display_name),
    updated_at = ms_to_ts($3)
WHERE id = $4
