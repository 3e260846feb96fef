-- $1 user id, $2 opted out, $3 now (ms). The change time moves only when the value does; a new
-- row starts from the default, false.
INSERT INTO user_prefs (user_id, telemetry_opt_out, updated_at, telemetry_opt_out_changed_at)
VALUES ($1, $2, ms_to_ts($3), CASE WHEN $2 THEN ms_to_ts($3) END)
ON CONFLICT (user_id) DO UPDATE
SET telemetry_opt_out = EXCLUDED.telemetry_opt_out,
    updated_at = EXCLUDED.updated_at,
    telemetry_opt_out_changed_at = CASE
      WHEN user_prefs.telemetry_opt_out <> EXCLUDED.telemetry_opt_out THEN EXCLUDED.updated_at
      ELSE user_prefs.telemetry_opt_out_changed_at
    END
