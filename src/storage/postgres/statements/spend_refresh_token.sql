-- $1 now (ms), $2 token hash.
UPDATE refresh_tokens
SET rotated_at = ms_to_ts($1)
WHERE token_hash = $2
