-- $1 opted out, $2 now (ms), $3 org id.
UPDATE organizations
SET telemetry_opt_out = $1,
    updated_at = ms_to_ts($2)
WHERE id = $3
