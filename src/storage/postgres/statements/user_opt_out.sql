-- $1 user id. No row: not opted out.
SELECT telemetry_opt_out
FROM user_prefs
WHERE user_id = $1
