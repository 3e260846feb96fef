-- $1 user id, $2 opted out, $3 now (ms).
INSERT INTO user_prefs (user_id, telemetry_opt_out, updated_at)
VALUES ($1, $2, ms_to_ts($3))
ON CONFLICT (user_id) DO UPDATE
SET telemetry_opt_out = EXCLUDED.telemetry_opt_out,
    updated_at = EXCLUDED.updated_at
