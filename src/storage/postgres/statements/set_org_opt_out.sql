-- $1 opted out, $2 now (ms), $3 org id. The change time moves only when the value does (SET
-- reads the row's old values).
UPDATE organizations
SET telemetry_opt_out = $1,
    updated_at = ms_to_ts($2),
    telemetry_opt_out_changed_at = CASE
      WHEN telemetry_opt_out <> $1 THEN ms_to_ts($2)
      ELSE telemetry_opt_out_changed_at
    END
WHERE id = $3
